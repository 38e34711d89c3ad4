// Accounts in lists (search results, followers, notifications) and the
// buttons that change the signed-in user's relationship to them.
import { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { get, post } from '../api';
import { useApp } from '../state';
import type { Account, Relationship } from '../types';
import { AccountName, Avatar, ErrorBox, displayName } from './common';
import { RichText } from './content';

// Relationships asked for in the same moment (a page of accounts) are
// fetched with one request.
const MAX_IDS = 40;
type Waiter = { resolve: (r: Relationship | null) => void; reject: (e: unknown) => void };
let waiting = new Map<string, Waiter[]>();
let timer: ReturnType<typeof setTimeout> | null = null;

function flush() {
  const batch = waiting;
  waiting = new Map();
  timer = null;
  const ids = [...batch.keys()];
  for (let i = 0; i < ids.length; i += MAX_IDS) {
    const chunk = ids.slice(i, i + MAX_IDS);
    get<Relationship[]>('/api/v1/accounts/relationships', { id: chunk }).then(
      (found) => chunk.forEach((id) => batch.get(id)!.forEach((w) => w.resolve(found.find((x) => x.id === id) ?? null))),
      (e) => chunk.forEach((id) => batch.get(id)!.forEach((w) => w.reject(e))),
    );
  }
}

/** The signed-in user's relationship to an account (null when the server has none to give). */
export function relationshipOf(id: string): Promise<Relationship | null> {
  return new Promise((resolve, reject) => {
    const list = waiting.get(id) ?? [];
    list.push({ resolve, reject });
    waiting.set(id, list);
    timer ??= setTimeout(flush, 10);
  });
}

/** Reads an account's relationship; the setter lets actions replace it. */
export function useRelationship(id: string | undefined, skip = false) {
  const [rel, setRel] = useState<Relationship | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setRel(null);
    setError(null);
    if (!id || skip) return;
    let live = true;
    relationshipOf(id).then(
      (r) => live && setRel(r),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [id, skip]);
  return [rel, setRel, error] as const;
}

/** Calls a relationship endpoint (follow, block...) and hands back the new relationship. */
export function useRelAction(account: Account, onChange: (r: Relationship) => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async (action: string) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      onChange(await post<Relationship>(`/api/v1/accounts/${account.id}/${action}`));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}

/** The label of the follow button for a relationship. */
export function followLabel(r: Relationship, a: Account): string {
  if (r.following) return 'Unfollow';
  if (r.requested) return 'Requested';
  if (r.followed_by) return 'Follow back';
  return a.locked ? 'Request to follow' : 'Follow';
}

interface FollowProps {
  account: Account;
  relationship: Relationship | null;
  onChange: (r: Relationship) => void;
}

/**
 * Follow, Unfollow, or Requested (pressing it withdraws the request).
 * Blocked accounts get Unblock instead: a block ends following both ways.
 */
export function FollowButton({ account, relationship: r, onChange }: FollowProps) {
  const { busy, error, run } = useRelAction(account, onChange);
  if (!r) return null;
  const name = displayName(account);
  let button;
  if (r.blocking) {
    button = (
      <button type="button" disabled={busy} onClick={() => run('unblock')} aria-label={`Unblock ${name}`}>
        Unblock
      </button>
    );
  } else if (r.blocked_by) {
    return null;
  } else {
    const label = followLabel(r, account);
    const act = r.following || r.requested ? 'unfollow' : 'follow';
    const confirmText = r.requested ? `Withdraw your request to follow ${name}?` : '';
    button = (
      <button
        type="button"
        class={act === 'follow' ? 'primary follow' : 'follow'}
        disabled={busy}
        aria-label={`${label} ${name}`}
        title={r.requested ? 'Waiting for approval. Press to withdraw the request.' : undefined}
        onClick={() => (!confirmText || confirm(confirmText)) && run(act)}
      >
        {label}
      </button>
    );
  }
  return (
    <div class="follow-control">
      {button}
      <ErrorBox error={error} />
    </div>
  );
}

interface CardProps {
  account: Account;
  /** Show the follow button (default: yes, except on one's own account). */
  follow?: boolean;
  /** Extra controls (Authorize / Reject...). */
  children?: ComponentChildren;
}

/** An account in a list: avatar, names, the start of the bio, and a follow button. */
export function AccountCard({ account, follow = true, children }: CardProps) {
  const { me } = useApp();
  const self = me?.id === account.id;
  const [rel, setRel, relError] = useRelationship(account.id, !follow || self);
  return (
    <article class="account-card card" aria-label={displayName(account)}>
      <Avatar account={account} size={48} />
      <div class="account-card-body">
        <AccountName account={account} /> {account.locked && <span class="badge">Locked</span>} {account.bot && <span class="badge">Bot</span>}{' '}
        {rel?.followed_by && <span class="badge">Follows you</span>}
        {account.note && <RichText class="account-card-note" html={account.note} />}
      </div>
      <div class="account-card-actions">
        {follow && !self && <FollowButton account={account} relationship={rel} onChange={setRel} />}
        {children}
        <ErrorBox error={relError} />
      </div>
    </article>
  );
}
