// Blocks, mutes and blocked domains, each with its undo. An undone entry
// stays in the list with a button to redo it, so a slip costs nothing.
import { useCallback, useState } from 'preact/hooks';
import { del, page, post } from '../../api';
import type { Account } from '../../types';
import { AccountName, Avatar, ErrorBox, Loading } from '../../ui/common';
import { PagedList } from '../../ui/list';
import { MoreButton, Saved, Section, useAction, usePagedItems } from './shared';

export function BlockSettings() {
  return (
    <>
      <DomainBlocks />
      <AccountList kind="blocks" />
      <AccountList kind="mutes" />
    </>
  );
}

interface BlockedDomain {
  domain: string;
  blocked: boolean;
}

const blockedDomain = (domain: string): BlockedDomain => ({ domain, blocked: true });
const sameDomain = (a: BlockedDomain, b: BlockedDomain) => a.domain === b.domain;

function DomainBlocks() {
  const list = usePagedItems('/api/v1/domain_blocks', 100, blockedDomain, sameDomain);
  const { items: domains, setItems: setDomains, first, more } = list;
  const [domain, setDomain] = useState('');
  const add = useAction();
  const row = useAction();

  const block = async (e: Event) => {
    e.preventDefault();
    const d = domain.trim();
    const ok = await add.run(() => post('/api/v1/domain_blocks', { domain: d }).then(() => true), `Blocked ${d}.`);
    if (!ok) return;
    setDomains((l) => [{ domain: d, blocked: true }, ...l.filter((x) => x.domain !== d)]);
    setDomain('');
  };
  const toggle = (d: string, blocked: boolean) =>
    row.run(
      async () => {
        if (blocked) await post('/api/v1/domain_blocks', { domain: d });
        else await del('/api/v1/domain_blocks', { domain: d });
        setDomains((l) => l.map((x) => (x.domain === d ? { ...x, blocked } : x)));
      },
      blocked ? `Blocked ${d} again.` : `Unblocked ${d}.`,
    );

  return (
    <Section id="domain-blocks-h" title="Blocked domains">
      <p>
        Blocking a domain hides everything from that server: its posts and notifications, and its accounts can no longer follow
        you. Your followers there are removed.
      </p>
      <form class="form inline-form" onSubmit={block} aria-label="Block a domain">
        <label for="domain-block-domain">Domain to block</label>
        <div class="row">
          <input id="domain-block-domain" required placeholder="example.social" value={domain} onInput={(e) => setDomain(e.currentTarget.value)} />
          <button type="submit" disabled={add.busy}>
            Block domain
          </button>
        </div>
      </form>
      <ErrorBox error={add.error} />
      {add.done && <Saved message={add.done} />}
      {first.error ? <ErrorBox error={first.error} onRetry={first.reload} /> : null}
      {first.loading && !domains.length && <Loading />}
      {!first.loading && !first.error && domains.length === 0 && <p class="empty">You block no domains.</p>}
      <ul class="plain-list" aria-label="Blocked domains">
        {domains.map((d) => (
          <li key={d.domain} class="row">
            <span class={d.blocked ? '' : 'undone'}>{d.domain}</span>
            {d.blocked ? (
              <button type="button" onClick={() => toggle(d.domain, false)} disabled={row.busy} aria-label={`Unblock ${d.domain}`}>
                Unblock
              </button>
            ) : (
              <button type="button" onClick={() => toggle(d.domain, true)} disabled={row.busy} aria-label={`Block again: ${d.domain}`}>
                Block again
              </button>
            )}
          </li>
        ))}
      </ul>
      <MoreButton list={list} />
      <ErrorBox error={row.error ?? more.error} />
      {row.done && <Saved message={row.done} />}
    </Section>
  );
}

const kinds = {
  blocks: {
    title: 'Blocked accounts',
    empty: 'You block no one.',
    explain: 'Blocked accounts cannot follow you, see your posts or reach you, and you do not see theirs.',
    undo: ['unblock', 'Unblock', 'Unblocked'],
    redo: ['block', 'Block again', 'Blocked'],
  },
  mutes: {
    title: 'Muted accounts',
    empty: 'You mute no one.',
    explain: 'You do not see posts or notifications from muted accounts; they are not told.',
    undo: ['unmute', 'Unmute', 'Unmuted'],
    redo: ['mute', 'Mute again', 'Muted'],
  },
};

function AccountList({ kind }: { kind: 'blocks' | 'mutes' }) {
  const k = kinds[kind];
  const load = useCallback((q: { max_id?: string; min_id?: string }, signal: AbortSignal) => page<Account>('/api/v1/' + kind, { ...q, limit: 40 }, signal), [kind]);
  return (
    <div class="settings-section">
      <h2 id={kind + '-h'}>{k.title}</h2>
      <p>{k.explain}</p>
      <PagedList<Account> label={k.title} load={load} empty={k.empty} render={(a) => <AccountRow account={a} kind={kind} />} />
    </div>
  );
}

function AccountRow({ account, kind }: { account: Account; kind: 'blocks' | 'mutes' }) {
  const k = kinds[kind];
  const [active, setActive] = useState(true);
  const act = useAction();
  const [path, label] = active ? k.undo : k.redo;
  const toggle = async () => {
    const ok = await act.run(() => post(`/api/v1/accounts/${account.id}/${path}`).then(() => true), `${(active ? k.undo : k.redo)[2]} @${account.acct}.`);
    if (ok) setActive(!active);
  };
  return (
    <div class="card account-row">
      <Avatar account={account} size={40} />
      <AccountName account={account} />
      <button type="button" onClick={toggle} disabled={act.busy} aria-label={`${label} @${account.acct}`}>
        {label}
      </button>
      <ErrorBox error={act.error} />
      {act.done && <Saved message={act.done} />}
    </div>
  );
}
