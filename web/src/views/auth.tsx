// Signing in, the OAuth callback, and signing up.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { adopt, appToken, completeSignIn, signIn, takeReturnPath } from '../auth';
import { navigate } from '../router';
import { useApp } from '../state';
import type { PrivacyFacts, Rule } from '../types';
import { ErrorBox, Loading, PageTitle } from '../ui/common';

export function SignIn({ expired }: { expired?: boolean }) {
  const { instance } = useApp();
  const [error, setError] = useState<unknown>(null);
  const go = async () => {
    setError(null);
    try {
      await signIn(takeReturnPath() ?? '/web/');
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div class="narrow">
      <PageTitle title="Sign in">Sign in to {instance?.title ?? 'Roost'}</PageTitle>
      {expired && (
        <p class="notice" role="status">
          Your session has ended. Sign in again to go back where you were.
        </p>
      )}
      <p>You will enter your username and password on the server's own sign-in page, then come back here.</p>
      <button type="button" class="primary" onClick={go}>
        Sign in
      </button>
      <ErrorBox error={error} />
      <p>
        No account yet? <a href="/web/signup">Sign up</a>
      </p>
    </div>
  );
}

export function Callback() {
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    completeSignIn(location.search)
      .then((next) => navigate(next, true))
      .catch(setError);
  }, []);
  return (
    <div class="narrow">
      <PageTitle title="Signing in">Signing in</PageTitle>
      {error ? (
        <>
          <ErrorBox error={error} />
          <a href="/web/signin">Back to sign in</a>
        </>
      ) : (
        <Loading label="Signing you in" />
      )}
    </div>
  );
}

interface SignUpForm {
  username: string;
  email: string;
  password: string;
  reason: string;
  agreement: boolean;
}

export function SignUp() {
  const { instance } = useApp();
  const [f, setF] = useState<SignUpForm>({ username: '', email: '', password: '', reason: '', agreement: false });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [pending, setPending] = useState(false);
  if (!instance) return <Loading />;
  const facts = instance.roost_privacy;
  const reg = instance.registrations;
  const rules: Rule[] = instance.rules ?? [];
  const set = (p: Partial<SignUpForm>) => setF((o) => ({ ...o, ...p }));

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const token = await appToken();
      const r = await api<{ access_token?: string; scope?: string }>('POST', '/api/v1/accounts', {
        token,
        body: { ...f, locale: (navigator.language || 'en').slice(0, 2), reason: reg.approval_required ? f.reason : undefined },
      });
      if (reg.approval_required) {
        setPending(true);
      } else if (r?.access_token) {
        adopt(r.access_token, r.scope);
        navigate('/web/', true);
      } else {
        navigate('/web/signin', true);
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (pending)
    return (
      <div class="narrow">
        <PageTitle title="Sign-up received">Thanks for signing up</PageTitle>
        <p role="status">An admin of {instance.title} will review your request. You can sign in once it is approved.</p>
      </div>
    );

  return (
    <div class="narrow">
      <PageTitle title="Sign up">Join {instance.title}</PageTitle>
      {!reg.enabled ? (
        <p class="notice">This server is not taking new sign-ups.</p>
      ) : (
        <form onSubmit={submit} class="form" aria-label="Sign up">
          {rules.length > 0 && (
            <section aria-labelledby="rules-h">
              <h2 id="rules-h">Server rules</h2>
              <ol class="rules">
                {rules.map((r) => (
                  <li key={r.id}>{r.text}</li>
                ))}
              </ol>
            </section>
          )}
          {facts && <PrivacySummary facts={facts} />}
          <label for="su-username">Username</label>
          <input id="su-username" autoComplete="username" required value={f.username} onInput={(e) => set({ username: e.currentTarget.value })} />
          <label for="su-email">Email{facts && !facts.sign_up.email_required ? ' (optional)' : ''}</label>
          <input id="su-email" type="email" autoComplete="email" required={!facts || facts.sign_up.email_required} value={f.email} onInput={(e) => set({ email: e.currentTarget.value })} />
          <label for="su-password">Password</label>
          <input id="su-password" type="password" autoComplete="new-password" required minLength={8} value={f.password} onInput={(e) => set({ password: e.currentTarget.value })} />
          {reg.approval_required && (
            <>
              <label for="su-reason">Why do you want to join?</label>
              <textarea id="su-reason" required maxLength={1000} value={f.reason} onInput={(e) => set({ reason: e.currentTarget.value })} />
            </>
          )}
          <label class="check">
            <input type="checkbox" required checked={f.agreement} onChange={(e) => set({ agreement: e.currentTarget.checked })} /> I agree to the rules and
            have read the privacy facts.
          </label>
          <ErrorBox error={error} />
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Signing up…' : 'Sign up'}
          </button>
          <p>
            Already have an account? <a href="/web/signin">Sign in</a>
          </p>
        </form>
      )}
    </div>
  );
}

/** The privacy facts a person should read before signing up. */
export function PrivacySummary({ facts }: { facts: PrivacyFacts }) {
  return (
    <section aria-labelledby="privacy-h" class="privacy-summary">
      <h2 id="privacy-h">What this server holds about you</h2>
      <ul>
        <li>{facts.ip_addresses_logged ? 'IP addresses are logged.' : 'IP addresses are not logged.'}</li>
        <li>Direct messages can be read by: {facts.direct_messages.readable_by}</li>
        <li>{facts.encryption_at_rest.summary}</li>
        {facts.jurisdiction && <li>Jurisdiction: {facts.jurisdiction}</li>}
        {facts.hosting_provider && <li>Hosted by: {facts.hosting_provider}</li>}
      </ul>
      <details>
        <summary>How long each kind of data is kept</summary>
        <ul>
          {facts.retention.map((r) => (
            <li key={r.category}>
              {r.label}: {r.max_age_days > 0 ? `${r.max_age_days} days` : 'kept until deleted'}
            </li>
          ))}
        </ul>
      </details>
      <p>
        <a href={facts.url || '/about/privacy'}>Read the full privacy facts</a>
        {facts.legal_policy_url && (
          <>
            {' · '}
            <a href={facts.legal_policy_url}>Legal process policy</a>
          </>
        )}
      </p>
    </section>
  );
}
