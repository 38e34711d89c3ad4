// A profile: header, bio, fields, counts, the signed-in user's
// relationship with its buttons, and tabs for posts, following and
// followers. The address names the account by handle (/web/@name or
// /web/@name@domain); a remote handle this server has not seen yet is
// fetched through search with resolve.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, get, page } from '../../api';
import { Link } from '../../router';
import { useApp } from '../../state';
import type { Account, Relationship, Status as StatusT } from '../../types';
import { AccountCard, FollowButton, useRelAction, useRelationship } from '../../ui/account';
import { AccountName, Avatar, ErrorBox, Loading, PageTitle, displayName, localImage } from '../../ui/common';
import { RichText } from '../../ui/content';
import { PagedList } from '../../ui/list';
import { Status } from '../../ui/status';

export type Tab = 'posts' | 'following' | 'followers';

const sameAcct = (a: string, b: string) => a.replace(/^@/, '').toLowerCase() === b.replace(/^@/, '').toLowerCase();

/** Finds an account by handle: this server's lookup, then a resolving search for remote handles. */
export async function resolveAccount(acct: string, signal?: AbortSignal): Promise<Account> {
  const handle = acct.replace(/^@/, '');
  try {
    return await get<Account>('/api/v1/accounts/lookup', { acct: handle }, signal);
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 404 || !handle.includes('@')) throw e;
  }
  const r = await get<{ accounts: Account[] }>('/api/v2/search', { q: handle, resolve: true, type: 'accounts', limit: 5 }, signal);
  const found = r.accounts.find((a) => sameAcct(a.acct, handle));
  if (!found) throw new ApiError(404, `No account ${'@' + handle} was found.`);
  return found;
}

export function Profile({ acct, tab }: { acct: string; tab: Tab }) {
  const [account, setAccount] = useState<Account | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const ac = new AbortController();
    setAccount(null);
    setError(null);
    resolveAccount(acct, ac.signal)
      .then(setAccount)
      .catch((e) => (e as Error).name !== 'AbortError' && setError(e));
    return () => ac.abort();
  }, [acct, attempt]);

  if (error) {
    const missing = error instanceof ApiError && error.status === 404;
    return (
      <>
        <PageTitle title="Profile not found">{missing ? 'Profile not found' : 'Profile'}</PageTitle>
        {missing ? (
          <p class="empty" id="profile-not-found">
            No account @{acct.replace(/^@/, '')} was found, or it is not visible to you.
          </p>
        ) : (
          <ErrorBox error={error} onRetry={() => setAttempt((n) => n + 1)} />
        )}
      </>
    );
  }
  if (!account) {
    return (
      <>
        <PageTitle title="Profile">Profile</PageTitle>
        <Loading />
      </>
    );
  }
  return <LoadedProfile account={account} tab={tab} />;
}

function LoadedProfile({ account: a, tab }: { account: Account; tab: Tab }) {
  const { me } = useApp();
  const self = me?.id === a.id;
  const [rel, setRel, relError] = useRelationship(a.id, self);
  const base = '/web/@' + a.acct;
  const name = displayName(a);
  const header = localImage(a.header, '');
  const titles: Record<Tab, string> = { posts: name, following: `People ${name} follows`, followers: `People following ${name}` };

  return (
    <>
      <section class="profile" aria-label="Profile">
        {header && !header.includes('/missing.') && <img class="profile-header" src={header} alt="" />}
        <div class="profile-top">
          <Avatar account={a} size={96} />
          <div class="profile-names">
            <PageTitle title={titles[tab]}>
              <bdi>{name}</bdi>
            </PageTitle>
            <p class="acct profile-acct">
              @{a.acct} {a.locked && <span class="badge">Locked</span>} {a.bot && <span class="badge">Bot</span>}{' '}
              {rel?.followed_by && <span class="badge">Follows you</span>}
            </p>
          </div>
        </div>
        {a.moved && (
          <p class="notice moved" role="note">
            {name} has moved to <AccountName account={a.moved} />.
          </p>
        )}
        {self ? (
          <p class="row">
            <Link href="/web/settings/profile" class="button-link">
              Edit profile
            </Link>
          </p>
        ) : (
          <RelationshipBar account={a} rel={rel} error={relError} onChange={setRel} />
        )}
        {a.note && <RichText class="profile-note content" html={a.note} />}
        {a.fields.length > 0 && (
          <dl class="profile-fields">
            {a.fields.map((f, i) => (
              <div key={i} class="profile-field">
                <dt>{f.name}</dt>
                <dd>
                  <RichText html={f.value} />
                </dd>
              </div>
            ))}
          </dl>
        )}
        <p class="profile-joined">
          Joined <time dateTime={a.created_at}>{new Date(a.created_at).toLocaleDateString()}</time>
        </p>
      </section>
      <nav class="tabs profile-tabs" aria-label="Profile sections">
        <Link href={base} aria-current={tab === 'posts' ? 'page' : undefined}>
          Posts <span class="count">{a.statuses_count}</span>
        </Link>
        <Link href={base + '/following'} aria-current={tab === 'following' ? 'page' : undefined}>
          Following <span class="count">{a.following_count}</span>
        </Link>
        <Link href={base + '/followers'} aria-current={tab === 'followers' ? 'page' : undefined}>
          Followers <span class="count">{a.followers_count}</span>
        </Link>
      </nav>
      <h2 class="visually-hidden">{tab === 'posts' ? 'Posts' : tab === 'following' ? 'Following' : 'Followers'}</h2>
      {tab === 'posts' ? <AccountPosts key={rel?.blocking ? 'blocked' : 'open'} account={a} /> : <AccountList account={a} which={tab} />}
    </>
  );
}

interface BarProps {
  account: Account;
  rel: Relationship | null;
  error: unknown;
  onChange: (r: Relationship) => void;
}

/** Follow, block and mute buttons, with what the relationship is now in words. */
function RelationshipBar({ account, rel, error: relError, onChange }: BarProps) {
  const [said, setSaid] = useState('');
  const name = displayName(account);
  const change = (r: Relationship) => {
    onChange(r);
    setSaid(
      r.blocking ? `You blocked ${name}.` : r.muting ? `You muted ${name}.` : r.following ? `You follow ${name}.` : r.requested ? `Follow request sent to ${name}.` : `You do not follow ${name}.`,
    );
  };
  const { busy, error, run } = useRelAction(account, change);
  if (relError) return <ErrorBox error={relError} />;
  if (!rel) return <Loading label="Loading relationship" />;
  const block = () => {
    if (rel.blocking) return run('unblock');
    if (confirm(`Block ${name}? They will no longer be able to follow you or see your posts, and you will stop following each other.`)) run('block');
  };
  return (
    <div class="relationship" id="profile-relationship">
      <div class="row" role="group" aria-label="Relationship">
        {!rel.blocking && <FollowButton account={account} relationship={rel} onChange={change} />}
        <button type="button" disabled={busy} onClick={() => run(rel.muting ? 'unmute' : 'mute')}>
          {rel.muting ? 'Unmute' : 'Mute'}
        </button>
        <button type="button" class="danger" disabled={busy} onClick={block}>
          {rel.blocking ? 'Unblock' : 'Block'}
        </button>
      </div>
      {rel.blocked_by && <p class="hint">This account has blocked you.</p>}
      {rel.requested && <p class="hint">Your follow request is waiting for {name}'s approval.</p>}
      <ErrorBox error={error} />
      <p class="visually-hidden" role="status">
        {said}
      </p>
    </div>
  );
}

function AccountPosts({ account }: { account: Account }) {
  const { me } = useApp();
  const load = useCallback(
    (q: { max_id?: string; min_id?: string }, signal: AbortSignal) => page<StatusT>(`/api/v1/accounts/${account.id}/statuses`, { ...q, limit: 20 }, signal),
    [account.id],
  );
  return (
    <PagedList<StatusT>
      label={`Posts by ${displayName(account)}`}
      load={load}
      empty="No posts to show."
      render={(s, update, remove) => <Status status={s} me={me?.id} onChange={update} onDelete={remove} />}
    />
  );
}

function AccountList({ account, which }: { account: Account; which: 'following' | 'followers' }) {
  const load = useCallback(
    (q: { max_id?: string; min_id?: string }, signal: AbortSignal) => page<Account>(`/api/v1/accounts/${account.id}/${which}`, { ...q, limit: 40 }, signal),
    [account.id, which],
  );
  return (
    <PagedList<Account>
      label={which === 'following' ? 'Following' : 'Followers'}
      load={load}
      empty={which === 'following' ? 'Not following anyone yet.' : 'No followers yet.'}
      render={(a) => <AccountCard account={a} />}
    />
  );
}
