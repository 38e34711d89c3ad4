// How many notifications arrived since the reader last looked (the
// notifications marker), for the navigation. Polled, as the server has no
// streaming API yet.
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api';

/** The event the notifications view sends once it has moved the marker. */
export const NOTIFICATIONS_READ = 'roost:notifications-read';

const MAX = 40;

interface Markers {
  notifications?: { last_read_id: string };
}

async function countUnread(): Promise<number> {
  const m = await get<Markers>('/api/v1/markers', { timeline: ['notifications'] });
  const since = m.notifications?.last_read_id;
  const list = await get<{ id: string }[]>('/api/v1/notifications', { since_id: since, limit: MAX });
  return list.length;
}

/** The unread count (MAX means "MAX or more"), refreshed every minute, when path changes, and when the reader has read them. */
export function useUnread(path: string): number {
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    const refresh = () => {
      if (document.hidden) return;
      countUnread()
        .then((c) => live && setN(c))
        .catch(() => undefined);
    };
    refresh();
    const t = setInterval(refresh, 60_000);
    addEventListener(NOTIFICATIONS_READ, refresh);
    return () => {
      live = false;
      clearInterval(t);
      removeEventListener(NOTIFICATIONS_READ, refresh);
    };
  }, [path]);
  return n;
}

export function unreadLabel(n: number): string {
  return n >= MAX ? `${MAX}+` : String(n);
}
