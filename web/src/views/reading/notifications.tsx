// Notifications, newest first, with the ones not seen before marked as
// new; opening the list moves the read marker to the newest. And the
// follow requests a locked account approves or rejects.
import { useCallback, useEffect, useState } from 'preact/hooks';
import { get, page, post } from '../../api';
import { Link } from '../../router';
import { useApp } from '../../state';
import type { Account, Notification } from '../../types';
import { AccountCard } from '../../ui/account';
import { AccountName, Ago, ErrorBox, PageTitle, displayName } from '../../ui/common';
import { PagedList } from '../../ui/list';
import { NOTIFICATIONS_READ } from '../../ui/unread';
import { Status } from '../../ui/status';

/** Compares two snowflake-style ids (decimal strings of any length). */
export function compareIDs(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

const said: Record<string, string> = {
  follow: 'followed you',
  follow_request: 'asked to follow you',
  mention: 'mentioned you',
  reblog: 'boosted your post',
  favourite: 'favourited your post',
  status: 'posted',
  update: 'edited a post you interacted with',
  poll: 'ran a poll that has ended',
  'admin.sign_up': 'signed up',
  'admin.report': 'filed a report',
};

type Markers = Record<string, { last_read_id: string } | undefined>;

export function Notifications() {
  const { me } = useApp();
  const [generation, setGeneration] = useState(0);
  const [lastRead, setLastRead] = useState<string | null>(null);
  const [markError, setMarkError] = useState<unknown>(null);
  const [clearError, setClearError] = useState<unknown>(null);
  const [cleared, setCleared] = useState(false);
  const [requests, setRequests] = useState(false);

  useEffect(() => {
    get<Account[]>('/api/v1/follow_requests', { limit: 1 }).then(
      (l) => setRequests(l.length > 0),
      () => setRequests(false),
    );
  }, [generation]);

  // The first page reads the old marker (to show what is new), then moves it to the newest item.
  const load = useCallback(
    async (q: { max_id?: string; min_id?: string }, signal: AbortSignal) => {
      const first = !q.max_id && !q.min_id;
      if (first) {
        const m = await get<Markers>('/api/v1/markers', { timeline: ['notifications'] }, signal).catch(() => ({}) as Markers);
        setLastRead(m.notifications?.last_read_id ?? '0');
      }
      const pg = await page<Notification>('/api/v1/notifications', { ...q, limit: 30 }, signal);
      if (first && pg.items.length) {
        setMarkError(null);
        post('/api/v1/markers', { notifications: { last_read_id: pg.items[0].id } })
          .then(() => dispatchEvent(new Event(NOTIFICATIONS_READ)))
          .catch(setMarkError);
      }
      return pg;
    },
    [generation],
  );

  const clearAll = async () => {
    if (!confirm('Clear all notifications? This cannot be undone.')) return;
    setClearError(null);
    try {
      await post('/api/v1/notifications/clear');
      setCleared(true);
      setGeneration((g) => g + 1);
    } catch (e) {
      setClearError(e);
    }
  };

  return (
    <>
      <PageTitle title="Notifications">Notifications</PageTitle>
      <div class="row list-tools">
        {(requests || me?.locked) && (
          <Link href="/web/follow_requests" class="button-link">
            Follow requests{requests && <span class="badge new">Waiting</span>}
          </Link>
        )}
        <button type="button" class="danger" id="notifications-clear" onClick={clearAll}>
          Clear all
        </button>
      </div>
      <ErrorBox error={clearError} />
      <ErrorBox error={markError} />
      {cleared && (
        <p class="notice" role="status">
          Notifications cleared.
        </p>
      )}
      <PagedList<Notification>
        label="Notifications"
        load={load}
        poll={30}
        empty="No notifications yet."
        render={(n, update) => <NotificationItem n={n} isNew={!!lastRead && compareIDs(n.id, lastRead) > 0} onChange={update} />}
      />
    </>
  );
}

function NotificationItem({ n, isNew, onChange }: { n: Notification; isNew: boolean; onChange: (n: Notification) => void }) {
  const { me } = useApp();
  const [answered, setAnswered] = useState('');
  const what = said[n.type] ?? n.type.replace(/[._]/g, ' ');
  const showCard = n.type === 'follow' || n.type === 'admin.sign_up';
  return (
    <article class={'notification notification-' + n.type.replace(/\W/g, '-') + (isNew ? ' unread' : '')} aria-label={`${displayName(n.account)} ${what}`}>
      <p class="notification-line">
        {isNew && <span class="badge new">New</span>} <AccountName account={n.account} /> <span>{what}</span> <Ago iso={n.created_at} />
      </p>
      {n.type === 'follow_request' && (
        <>
          <p class="notification-extra">
            <Link href="/web/follow_requests">Review follow requests</Link>
          </p>
          <div role="status">{answered && <p class="notice">{answered}</p>}</div>
          {!answered && <RequestCard account={n.account} onDone={setAnswered} />}
        </>
      )}
      {showCard && <AccountCard account={n.account} follow={n.type === 'follow'} />}
      {n.status && <Status status={n.status} me={me?.id} onChange={(s) => onChange({ ...n, status: s })} />}
    </article>
  );
}

export function FollowRequests() {
  const [done, setDone] = useState('');
  const load = useCallback(
    (q: { max_id?: string; min_id?: string }, signal: AbortSignal) => page<Account>('/api/v1/follow_requests', { ...q, limit: 40 }, signal),
    [],
  );
  return (
    <>
      <PageTitle title="Follow requests">Follow requests</PageTitle>
      <p class="hint">People who asked to follow you. Until you authorize them, they do not see your followers-only posts.</p>
      <div role="status">{done && <p class="notice">{done}</p>}</div>
      <PagedList<Account>
        label="Follow requests"
        load={load}
        empty="No one is waiting for your approval."
        render={(a, _update, remove) => <RequestCard account={a} onDone={(msg) => (setDone(msg), remove(a.id))} />}
      />
    </>
  );
}

function RequestCard({ account, onDone }: { account: Account; onDone: (msg: string) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const name = displayName(account);
  const answer = async (verb: 'authorize' | 'reject') => {
    setBusy(true);
    setError(null);
    try {
      await post(`/api/v1/follow_requests/${account.id}/${verb}`);
      onDone(verb === 'authorize' ? `${name} now follows you.` : `You rejected ${name}'s request.`);
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  };
  return (
    <AccountCard account={account} follow={false}>
      <div class="row">
        <button type="button" class="primary" disabled={busy} onClick={() => answer('authorize')} aria-label={`Authorize ${name}`}>
          Authorize
        </button>
        <button type="button" disabled={busy} onClick={() => answer('reject')} aria-label={`Reject ${name}`}>
          Reject
        </button>
      </div>
      <ErrorBox error={error} />
    </AccountCard>
  );
}
