// Sessions and authorized apps: every token the account holds, with the
// app holding it, and a way to revoke it. Revoking this browser's own
// session signs out.
import { del, get } from '../../api';
import { signOut } from '../../auth';
import { navigate } from '../../router';
import { ErrorBox, Loading } from '../../ui/common';
import { ConfirmButton, Day, Saved, Section, useAction, useLoad } from './shared';

/** GET /api/v1/roost/sessions (internal/mastoapi/sessions.go). */
interface Session {
  id: string;
  app: { name: string; website: string | null };
  scopes: string[];
  created_day?: string;
  last_used_day?: string | null;
  created_at?: string;
  last_used_at?: string | null;
  current: boolean;
}

export function SessionSettings() {
  const list = useLoad((signal) => get<Session[]>('/api/v1/roost/sessions', undefined, signal));
  const act = useAction();

  const revoke = async (s: Session) => {
    const ok = await act.run(() => del('/api/v1/roost/sessions/' + encodeURIComponent(s.id)).then(() => true), `Revoked the session of ${s.app.name || 'an app'}.`);
    if (!ok) return;
    if (s.current) {
      // To the (public) sign-in page first, so that ending the session is not taken for an expired one.
      navigate('/web/signin', true);
      await signOut();
      return;
    }
    list.setData((list.data ?? []).filter((x) => x.id !== s.id));
  };

  return (
    <Section id="sessions-h" title="Sessions and authorized apps">
      <p>
        Each app or browser signed in to your account holds a session. The server keeps only the day a session was created and the
        day it was last used. Revoke any you do not recognise; revoking this browser's session signs you out here.
      </p>
      <ErrorBox error={act.error} />
      {act.done && <Saved message={act.done} />}
      {list.error ? <ErrorBox error={list.error} onRetry={list.reload} /> : null}
      {!list.data && !list.error && <Loading />}
      {list.data && list.data.length === 0 && <p class="empty">No sessions.</p>}
      {list.data && list.data.length > 0 && (
        <ul class="sessions" aria-label="Sessions">
          {list.data.map((s) => {
            const name = s.app.name || 'Unknown app';
            return (
              <li key={s.id} class={'card session' + (s.current ? ' current' : '')}>
                <div class="session-app">
                  <strong>{name}</strong>
                  {s.current && <span class="badge">This browser</span>}
                  {s.app.website && <span class="muted"> · {s.app.website}</span>}
                </div>
                <div class="muted small">
                  Signed in <Day iso={s.created_day ?? s.created_at} /> · last used <Day iso={s.last_used_day ?? s.last_used_at} />
                </div>
                <div class="small">Permissions: {s.scopes.join(', ') || 'none'}</div>
                <ConfirmButton
                  label="Revoke"
                  name={s.current ? 'Revoke this browser’s session and sign out' : `Revoke the session of ${name}`}
                  question={s.current ? 'Revoke this browser’s session? You will be signed out.' : `Revoke the session of ${name}?`}
                  confirm={s.current ? 'Revoke and sign out' : 'Yes, revoke'}
                  onConfirm={() => revoke(s)}
                  busy={act.busy}
                  danger
                />
              </li>
            );
          })}
        </ul>
      )}
    </Section>
  );
}
