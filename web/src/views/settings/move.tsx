// Moving the account: aliases (accounts allowed to move here) and the
// move itself to an account elsewhere that lists this one as an alias.
import { useState } from 'preact/hooks';
import { post } from '../../api';
import { setMe, useApp } from '../../state';
import type { Account } from '../../types';
import { AccountName, ErrorBox, Loading } from '../../ui/common';
import { Saved, Section, useAction } from './shared';

export function MoveSettings() {
  const { me, instance } = useApp();
  if (!me) return <Loading />;
  // /api/v1/instance names the domain uri; v2 names it domain.
  const domain = instance?.domain || (instance as { uri?: string } | null)?.uri || location.host;
  const handle = '@' + me.acct + (me.acct.includes('@') ? '' : '@' + domain);
  return (
    <>
      {me.moved && (
        <p class="notice" role="status">
          This account has moved to <AccountName account={me.moved} />.
        </p>
      )}
      <MoveAway handle={handle} />
      <Aliases handle={handle} />
    </>
  );
}

function MoveAway({ handle }: { handle: string }) {
  const [target, setTarget] = useState('');
  const [password, setPassword] = useState('');
  const act = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const moved = await act.run(
      () => post<Account>('/api/v1/accounts/move', { moved_to_uri: target.trim(), password }),
      'Your account is moving. Your followers are being moved to the new account.',
    );
    if (moved) {
      setPassword('');
      setMe(moved);
    }
  };
  return (
    <Section id="move-h" title="Move to another account">
      <p>Before you move, create the new account and, on its server, add this account ({handle}) as an alias ("also known as").</p>
      <p>When you move:</p>
      <ul>
        <li>your followers, here and on other servers, are moved to follow the new account;</li>
        <li>this profile shows that you moved, and points to the new account;</li>
        <li>your posts stay here and are not copied; export them first if you want them;</li>
        <li>the people you follow are not moved: import the following list from the Export tab on the new account.</li>
      </ul>
      <form class="form" onSubmit={submit} aria-label="Move account">
        <label for="move-target">New account's handle or address</label>
        <input id="move-target" required placeholder="@you@new.example" autoComplete="off" value={target} onInput={(e) => setTarget(e.currentTarget.value)} />
        <label for="move-password">Your current password</label>
        <input id="move-password" type="password" required autoComplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        <ErrorBox error={act.error} />
        {act.done && <Saved message={act.done} />}
        <div class="row">
          <button id="move-submit" type="submit" class="danger" disabled={act.busy}>
            {act.busy ? 'Moving…' : 'Move account'}
          </button>
        </div>
      </form>
    </Section>
  );
}

function Aliases({ handle }: { handle: string }) {
  const [text, setText] = useState('');
  const act = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const list = text
      .split(/[\n,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    const a = await act.run(
      () => post<Account>('/api/v1/accounts/alias', { also_known_as: list }),
      list.length ? `Saved ${list.length} ${list.length === 1 ? 'alias' : 'aliases'}.` : 'Aliases cleared.',
    );
    if (a) setMe(a);
  };
  return (
    <Section id="aliases-h" title="Move here from another account">
      <p>
        To move an old account to this one ({handle}), list the old account here first, then start the move from the old account's
        server. Saving replaces the whole list; save an empty list to remove every alias.
      </p>
      <form class="form" onSubmit={submit} aria-label="Account aliases">
        <label for="move-aliases">Old accounts (one handle or address per line)</label>
        <textarea id="move-aliases" placeholder="@you@old.example" value={text} onInput={(e) => setText(e.currentTarget.value)} />
        <ErrorBox error={act.error} />
        {act.done && <Saved message={act.done} />}
        <div class="row">
          <button id="aliases-submit" type="submit" disabled={act.busy}>
            Save aliases
          </button>
        </div>
      </form>
    </Section>
  );
}
