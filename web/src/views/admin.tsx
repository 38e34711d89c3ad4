// The admin screens, for staff only: accounts and approvals, reports,
// domain blocks, and the instance's settings. They need the admin scopes,
// which the usual sign-in does not ask for: a session without them is
// offered a sign-in that asks.
import { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ADMIN_SCOPES, BASE_SCOPES, hasScope, signIn } from '../auth';
import type { Route } from '../route';
import { useApp } from '../state';
import type { Account } from '../types';
import { ErrorBox, Loading, PageTitle } from '../ui/common';
import { Tabs } from './settings/shared';
import { AdminAccounts } from './admin/accounts';
import { AdminReport, AdminReports } from './admin/reports';
import { AdminDomainBlocks } from './admin/domain_blocks';
import { AdminInstance } from './admin/instance';

// Mastodon's role permission bits: administrator, and the manage_* ones
// staff roles hold. invite_users (1 << 16), which every user has, is not one.
const STAFF_BITS = 1 | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7) | (1 << 10);
const ADMIN_BIT = 1;
const MANAGE_FEDERATION = 1 << 5;
const MANAGE_SETTINGS = 1 << 6;

function permissions(a: Account | null): number {
  return Number(a?.role?.permissions ?? 0) || 0;
}

/** Whether the account's role may moderate (reports, accounts). */
export function canModerate(a: Account | null): boolean {
  return (permissions(a) & STAFF_BITS) !== 0;
}

/** Whether the account's role may change federation and the instance's settings. */
export function canAdminister(a: Account | null): boolean {
  const p = permissions(a);
  return (p & ADMIN_BIT) !== 0 || ((p & MANAGE_FEDERATION) !== 0 && (p & MANAGE_SETTINGS) !== 0);
}

const tabs: [string, string, string, (p: Record<string, string>) => ComponentChildren, boolean][] = [
  ['/web/admin/accounts', 'Accounts', 'Accounts and approvals', () => <AdminAccounts />, false],
  ['/web/admin/reports', 'Reports', 'Reports', () => <AdminReports />, false],
  ['/web/admin/domain_blocks', 'Domain blocks', 'Domain blocks', () => <AdminDomainBlocks />, true],
  ['/web/admin/settings', 'Instance settings', 'Instance settings', () => <AdminInstance />, true],
];

function AdminFrame({ tab, params, title, children }: { tab: string; params?: Record<string, string>; title?: string; children?: ComponentChildren }) {
  const { me } = useApp();
  const t = tabs.find((x) => x[0] === tab) ?? tabs[0];
  const heading = title ?? t[2];
  if (!me) return <Loading />;
  if (!canModerate(me))
    return (
      <>
        <PageTitle title="Admin">Admin</PageTitle>
        <p class="notice">These screens are for the server's staff. Your account has no staff role.</p>
      </>
    );
  const visible = tabs.filter((x) => !x[4] || canAdminister(me));
  return (
    <div class="admin">
      <PageTitle title={'Admin: ' + heading}>Admin</PageTitle>
      <Tabs label="Admin" tabs={visible.map((x) => [x[0], x[1]])} current={t[0]} />
      {!hasScope(ADMIN_SCOPES) ? (
        <ScopeGate />
      ) : t[4] && !canAdminister(me) ? (
        <p class="notice">Only the server's owner and admins can use this screen.</p>
      ) : (
        children ?? t[3](params ?? {})
      )}
    </div>
  );
}

/** Asks for a sign-in with the admin scopes, returning here afterwards. */
function ScopeGate() {
  const [error, setError] = useState<unknown>(null);
  const go = () => signIn(location.pathname, BASE_SCOPES + ' ' + ADMIN_SCOPES).catch(setError);
  return (
    <section class="notice" aria-labelledby="admin-scope-h">
      <h2 id="admin-scope-h">Admin access needed</h2>
      <p>This session was signed in without admin permissions. Sign in again and approve the admin permissions to use these screens.</p>
      <button id="admin-signin" type="button" class="primary" onClick={go}>
        Sign in with admin permissions
      </button>
      <ErrorBox error={error} />
    </section>
  );
}

export const adminRoutes: Route[] = [
  { path: '/web/admin', view: () => <AdminFrame tab="/web/admin/accounts" /> },
  ...tabs.map(([path]) => ({ path, view: () => <AdminFrame tab={path} /> })),
  {
    path: '/web/admin/reports/:id',
    view: (p) => (
      <AdminFrame tab="/web/admin/reports" title={'Report ' + p.id}>
        <AdminReport id={p.id} />
      </AdminFrame>
    ),
  },
];
