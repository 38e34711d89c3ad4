// What every view may read: the instance and the signed-in account,
// loaded once and refreshed on demand.
import { useEffect, useState } from 'preact/hooks';
import { get } from './api';
import { session, onSession } from './auth';
import type { Account, Instance } from './types';

let instance: Instance | null = null;
let instanceLoad: Promise<Instance> | null = null;
let me: Account | null = null;
let meLoad: Promise<Account | null> | null = null;
const listeners = new Set<() => void>();
const changed = () => listeners.forEach((f) => f());

export function loadInstance(force = false): Promise<Instance> {
  if (force) instanceLoad = null;
  instanceLoad ??= get<Instance>('/api/v2/instance').then((i) => {
    instance = i;
    changed();
    return i;
  });
  return instanceLoad;
}

export function loadMe(force = false): Promise<Account | null> {
  if (!session()) {
    me = null;
    return Promise.resolve(null);
  }
  if (force || !meLoad) {
    meLoad = get<Account>('/api/v1/accounts/verify_credentials')
      .then((a) => {
        me = a;
        changed();
        return a;
      })
      .catch((e) => {
        meLoad = null;
        throw e;
      });
  }
  return meLoad;
}

/** Replaces the signed-in account after the user changed it. */
export function setMe(a: Account) {
  me = a;
  changed();
}

onSession(() => {
  me = null;
  meLoad = null;
  changed();
});

/** The instance and the signed-in account; re-renders when either changes. */
export function useApp(): { instance: Instance | null; me: Account | null } {
  const [, tick] = useState(0);
  useEffect(() => {
    const f = () => tick((n) => n + 1);
    listeners.add(f);
    loadInstance().catch(() => undefined);
    return () => {
      listeners.delete(f);
    };
  }, []);
  return { instance, me };
}

/** Mastodon's role permission that every user has (invite_users). */
const INVITE_USERS = 0x10000;

/** True when the signed-in account may use the admin screens: its role has
 *  a permission beyond inviting users. */
export function isStaff(a: Account | null): boolean {
  const p = Number(a?.role?.permissions ?? 0);
  return (p & ~INVITE_USERS) !== 0;
}
