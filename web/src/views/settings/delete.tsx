// Deleting the account, with a plain account of what happens, and the
// goodbye page it ends on (a public page: the session is gone by then).
import { useState } from 'preact/hooks';
import { post } from '../../api';
import { signOut } from '../../auth';
import { Link, navigate } from '../../router';
import { useApp } from '../../state';
import { ErrorBox, Loading, PageTitle } from '../../ui/common';
import { Section, useAction } from './shared';

export function DeleteSettings() {
  const { me } = useApp();
  const [password, setPassword] = useState('');
  const [sure, setSure] = useState(false);
  const act = useAction();
  if (!me) return <Loading />;

  const submit = async (e: Event) => {
    e.preventDefault();
    const ok = await act.run(() => post('/api/v1/accounts/delete', { password }).then(() => true));
    if (!ok) return;
    forgetLocalData();
    // To the public goodbye page first, so that ending the session does not send us to sign-in.
    navigate('/web/goodbye', true);
    await signOut();
  };

  return (
    <Section id="delete-h" title="Delete your account">
      <div class="warning-box" id="delete-warning">
        <p>
          <strong>This cannot be undone.</strong> Deleting @{me.acct}:
        </p>
        <ul>
          <li>deletes your profile, posts, follows, likes, bookmarks and direct messages from this server at once, and the keys that encrypt them, so even backups can no longer be read;</li>
          <li>asks every other server that received your posts or follows you to delete them too (most do, but this server cannot force them);</li>
          <li>ends every session and app signed in to the account;</li>
          <li>keeps your username reserved for a while, so no one else can take it and pretend to be you.</li>
        </ul>
        <p>
          If you want to keep your posts or your followers, <Link href="/web/settings/export">export your data</Link> or{' '}
          <Link href="/web/settings/move">move your account</Link> first.
        </p>
      </div>
      <form class="form" onSubmit={submit} aria-label="Delete account">
        <label for="delete-password">Your password</label>
        <input id="delete-password" type="password" required autoComplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        <label class="check">
          <input id="delete-confirm" type="checkbox" required checked={sure} onChange={(e) => setSure(e.currentTarget.checked)} />
          <span>I understand that my account and everything in it will be deleted for good.</span>
        </label>
        <ErrorBox error={act.error} />
        <div class="row">
          <button id="delete-submit" type="submit" class="danger solid" disabled={act.busy || !sure}>
            {act.busy ? 'Deleting…' : 'Delete my account'}
          </button>
        </div>
      </form>
    </Section>
  );
}

/** Drafts and other things this browser kept for the account. */
function forgetLocalData() {
  for (let i = localStorage.length - 1; i >= 0; i--) {
    const k = localStorage.key(i);
    if (k && k.startsWith('roost.draft.')) localStorage.removeItem(k);
  }
}

export function Goodbye() {
  const { instance } = useApp();
  return (
    <div class="narrow">
      <PageTitle title="Account deleted">Your account has been deleted</PageTitle>
      <p role="status">Everything it held on {instance?.title ?? 'this server'} is gone, and other servers have been asked to delete your posts.</p>
      <p>Thank you for having been here. Take care.</p>
      <p>
        <a href="/">Go to the home page</a>
      </p>
    </div>
  );
}
