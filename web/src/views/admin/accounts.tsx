// Accounts and approvals: sign-ups waiting for approval (with the reason
// the person gave), and suspending or unsuspending any account.
import { useCallback, useState } from 'preact/hooks';
import { page, post } from '../../api';
import { useApp } from '../../state';
import type { Account } from '../../types';
import { AccountName, Avatar, ErrorBox } from '../../ui/common';
import { PagedList } from '../../ui/list';
import { ConfirmButton, Day, Saved, useAction } from '../settings/shared';

/** Mastodon's Admin::Account (internal/mastoapi/reports.go, admin_accounts.go). */
export interface AdminAccount {
  id: string;
  username: string;
  domain: string | null;
  created_at: string;
  email: string | null;
  locale: string | null;
  invite_request: string | null;
  role: { name: string } | null;
  confirmed: boolean;
  approved: boolean;
  disabled: boolean;
  silenced: boolean;
  suspended: boolean;
  account: Account;
}

type Filter = 'pending' | 'active' | 'suspended' | 'local' | 'remote';

const filters: [Filter, string][] = [
  ['pending', 'Waiting for approval'],
  ['active', 'Active'],
  ['suspended', 'Suspended'],
  ['local', 'All local'],
  ['remote', 'Remote'],
];

export function AdminAccounts() {
  const [filter, setFilter] = useState<Filter>('pending');
  const [username, setUsername] = useState('');
  const [query, setQuery] = useState('');
  const load = useCallback(
    (q: { max_id?: string; min_id?: string }, signal: AbortSignal) =>
      page<AdminAccount>('/api/v1/admin/accounts', { ...q, limit: 40, [filter]: true, username: query || undefined }, signal),
    [filter, query],
  );
  return (
    <section aria-labelledby="admin-accounts-h">
      <h2 id="admin-accounts-h">Accounts</h2>
      <div class="row filters" role="group" aria-label="Show accounts">
        {filters.map(([f, label]) => (
          <button key={f} type="button" aria-pressed={filter === f} onClick={() => setFilter(f)}>
            {label}
          </button>
        ))}
      </div>
      <form
        class="row"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery(username.trim());
        }}
      >
        <label for="admin-accounts-username">Username</label>
        <input id="admin-accounts-username" class="grow" type="search" value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
        <button type="submit">Find</button>
      </form>
      <PagedList<AdminAccount>
        label={filters.find((f) => f[0] === filter)![1]}
        load={load}
        empty={filter === 'pending' ? 'No sign-up is waiting for approval.' : 'No accounts.'}
        render={(a, update, remove) => <AccountEntry entry={a} onChange={update} onGone={remove} />}
      />
    </section>
  );
}

function AccountEntry({ entry, onChange, onGone }: { entry: AdminAccount; onChange: (a: AdminAccount) => void; onGone: (id: string) => void }) {
  const { me } = useApp();
  const act = useAction();
  const self = me?.id === entry.id;
  const name = '@' + entry.account.acct;
  const pending = !entry.domain && !entry.approved;
  const call = (path: string, done: string, after: (r: AdminAccount | undefined) => void) =>
    act.run(async () => after(await post<AdminAccount>(`/api/v1/admin/accounts/${entry.id}/${path}`)), done);

  const approve = () => call('approve', `Approved ${name}.`, (r) => r && onChange(r));
  const reject = () => call('reject', `Rejected ${name}; the sign-up was deleted.`, () => onGone(entry.id));
  const suspend = () =>
    act.run(async () => {
      await post(`/api/v1/admin/accounts/${entry.id}/action`, { type: 'suspend' });
      onChange({ ...entry, suspended: true });
    }, `Suspended ${name}.`);
  const unsuspend = () => call('unsuspend', `Unsuspended ${name}.`, (r) => onChange(r ?? { ...entry, suspended: false }));

  return (
    <article class="card admin-account" aria-label={name}>
      <div class="row">
        <Avatar account={entry.account} size={40} />
        <AccountName account={entry.account} />
        {pending && <span class="badge">Waiting for approval</span>}
        {entry.suspended && <span class="badge danger">Suspended</span>}
        {entry.role && entry.role.name && <span class="badge">{entry.role.name}</span>}
      </div>
      <dl class="facts">
        <dt>Joined</dt>
        <dd>
          <Day iso={entry.created_at} />
        </dd>
        {entry.email && (
          <>
            <dt>Email</dt>
            <dd>{entry.email}</dd>
          </>
        )}
        {entry.invite_request && (
          <>
            <dt>Reason given</dt>
            <dd class="reason">{entry.invite_request}</dd>
          </>
        )}
      </dl>
      <div class="row">
        {pending && (
          <>
            <button type="button" class="primary" onClick={approve} disabled={act.busy} aria-label={`Approve ${name}`}>
              Approve
            </button>
            <ConfirmButton
              label="Reject"
              name={`Reject ${name}`}
              question={`Reject ${name}? The sign-up is deleted.`}
              confirm="Yes, reject"
              onConfirm={reject}
              busy={act.busy}
              danger
            />
          </>
        )}
        {!pending &&
          !self &&
          (entry.suspended ? (
            <button type="button" onClick={unsuspend} disabled={act.busy} aria-label={`Unsuspend ${name}`}>
              Unsuspend
            </button>
          ) : (
            <ConfirmButton
              label="Suspend"
              name={`Suspend ${name}`}
              question={`Suspend ${name}? They can no longer sign in or post, and their profile disappears.`}
              confirm="Yes, suspend"
              onConfirm={suspend}
              busy={act.busy}
              danger
            />
          ))}
      </div>
      <ErrorBox error={act.error} />
      {act.done && <Saved message={act.done} />}
    </article>
  );
}
