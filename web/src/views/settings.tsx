// The user's settings: one address per tab under /web/settings/, and the
// goodbye page a deleted account ends on.
import { ComponentChildren } from 'preact';
import type { Route } from '../route';
import { PageTitle } from '../ui/common';
import { Tabs } from './settings/shared';
import { ProfileSettings } from './settings/profile';
import { AutoDeleteSettings } from './settings/autodelete';
import { ExportSettings } from './settings/export';
import { SessionSettings } from './settings/sessions';
import { BlockSettings } from './settings/blocks';
import { MoveSettings } from './settings/move';
import { DeleteSettings, Goodbye } from './settings/delete';

const tabs: [string, string, string, () => ComponentChildren][] = [
  ['/web/settings/profile', 'Profile', 'Profile', () => <ProfileSettings />],
  ['/web/settings/autodelete', 'Auto-delete', 'Auto-delete posts', () => <AutoDeleteSettings />],
  ['/web/settings/export', 'Export', 'Export and inventory', () => <ExportSettings />],
  ['/web/settings/sessions', 'Sessions', 'Sessions and authorized apps', () => <SessionSettings />],
  ['/web/settings/blocks', 'Blocks', 'Blocks, mutes and blocked domains', () => <BlockSettings />],
  ['/web/settings/move', 'Move', 'Move your account', () => <MoveSettings />],
  ['/web/settings/delete', 'Delete account', 'Delete your account', () => <DeleteSettings />],
];

function SettingsFrame({ path }: { path: string }) {
  const tab = tabs.find((t) => t[0] === path) ?? tabs[0];
  return (
    <div class="settings">
      <PageTitle title={'Settings: ' + tab[2]}>Settings</PageTitle>
      <Tabs label="Settings" tabs={tabs.map((t) => [t[0], t[1]])} current={tab[0]} />
      {tab[3]()}
    </div>
  );
}

export const settingsRoutes: Route[] = [
  { path: '/web/settings', view: () => <SettingsFrame path="/web/settings/profile" /> },
  ...tabs.map(([path]) => ({ path, view: () => <SettingsFrame path={path} /> })),
  { path: '/web/goodbye', view: () => <Goodbye />, public: true },
];
