// Signing in: the web client is an OAuth app like any other. It registers
// itself once per browser, sends the user to the server's consent page
// with PKCE, and keeps the token it gets back in localStorage (never in a
// URL). A 401 ends the session and brings the user back, after signing in,
// to where they were.

const SESSION = 'roost.session';
const APP = 'roost.app';
const PENDING = 'roost.signin';

export const BASE_SCOPES = 'read write follow';
export const ADMIN_SCOPES = 'admin:read admin:write';

export interface Session {
  token: string;
  scope: string;
}

interface App {
  client_id: string;
  client_secret: string;
  redirect_uri: string;
}

interface Pending {
  verifier: string;
  state: string;
  next: string;
  scope: string;
}

const listeners = new Set<() => void>();
let current: Session | null = read<Session>(localStorage, SESSION);

function read<T>(s: Storage, key: string): T | null {
  try {
    const v = s.getItem(key);
    return v ? (JSON.parse(v) as T) : null;
  } catch {
    return null;
  }
}

/** The signed-in session, or null. */
export function session(): Session | null {
  return current;
}

export function hasScope(scope: string): boolean {
  const have = (current?.scope ?? '').split(/\s+/);
  return scope.split(/\s+/).every((s) => have.includes(s) || have.includes(s.split(':')[0]));
}

/** Calls fn whenever the session starts or ends; returns the unsubscribe. */
export function onSession(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function setSession(s: Session | null) {
  current = s;
  if (s) localStorage.setItem(SESSION, JSON.stringify(s));
  else localStorage.removeItem(SESSION);
  listeners.forEach((f) => f());
}

export function redirectURI(): string {
  return location.origin + '/web/callback';
}

/** Registers the web client as an OAuth app once per browser. */
export async function ensureApp(): Promise<App> {
  const have = read<App>(localStorage, APP);
  if (have && have.redirect_uri === redirectURI()) return have;
  const res = await fetch('/api/v1/apps', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({
      client_name: 'Roost web',
      redirect_uris: redirectURI(),
      scopes: BASE_SCOPES + ' ' + ADMIN_SCOPES,
      website: location.origin,
    }),
  });
  const j = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(j.error || 'Could not register the web client with the server.');
  const app: App = { client_id: j.client_id, client_secret: j.client_secret, redirect_uri: redirectURI() };
  localStorage.setItem(APP, JSON.stringify(app));
  return app;
}

function random(bytes: number): string {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  return base64url(b);
}

function base64url(b: Uint8Array): string {
  let s = '';
  b.forEach((x) => (s += String.fromCharCode(x)));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Sends the browser to the server's sign-in and consent page. */
export async function signIn(next = '/web/', scope = BASE_SCOPES): Promise<void> {
  const app = await ensureApp();
  const p: Pending = { verifier: random(48), state: random(16), next, scope };
  sessionStorage.setItem(PENDING, JSON.stringify(p));
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(p.verifier)));
  const q = new URLSearchParams({
    client_id: app.client_id,
    response_type: 'code',
    redirect_uri: app.redirect_uri,
    scope,
    state: p.state,
    code_challenge: base64url(digest),
    code_challenge_method: 'S256',
  });
  location.assign('/oauth/authorize?' + q.toString());
}

/** Finishes sign-in on /web/callback; returns where to go next. */
export async function completeSignIn(search: string): Promise<string> {
  const q = new URLSearchParams(search);
  const p = read<Pending>(sessionStorage, PENDING);
  sessionStorage.removeItem(PENDING);
  if (q.get('error')) throw new Error(q.get('error_description') || 'Sign-in was cancelled.');
  if (!p || q.get('state') !== p.state) throw new Error('This sign-in link is stale. Please sign in again.');
  const app = await ensureApp();
  const tok = await tokenRequest({
    grant_type: 'authorization_code',
    code: q.get('code') ?? '',
    redirect_uri: app.redirect_uri,
    client_id: app.client_id,
    client_secret: app.client_secret,
    code_verifier: p.verifier,
  });
  setSession({ token: tok.access_token, scope: tok.scope || p.scope });
  return p.next.startsWith('/web') ? p.next : '/web/';
}

async function tokenRequest(body: Record<string, string>): Promise<{ access_token: string; scope: string }> {
  const res = await fetch('/oauth/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
  const j = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(j.error_description || j.error || 'The server refused the sign-in.');
  return j;
}

/** An app token (no user) for signing up. */
export async function appToken(): Promise<string> {
  const app = await ensureApp();
  const t = await tokenRequest({
    grant_type: 'client_credentials',
    client_id: app.client_id,
    client_secret: app.client_secret,
    scope: BASE_SCOPES,
  });
  return t.access_token;
}

/** Starts a session with a token the server gave at sign-up. */
export function adopt(token: string, scope = BASE_SCOPES) {
  setSession({ token, scope });
}

/** Revokes the token on the server and forgets it here. */
export async function signOut(): Promise<void> {
  const s = current;
  const app = read<App>(localStorage, APP);
  setSession(null);
  if (!s || !app) return;
  await fetch('/oauth/revoke', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ client_id: app.client_id, client_secret: app.client_secret, token: s.token }),
  }).catch(() => undefined);
}

/** Ends a session the server no longer accepts, remembering where the user was. */
export function expireSession() {
  if (!current) return;
  sessionStorage.setItem('roost.next', location.pathname + location.search);
  sessionStorage.setItem(EXPIRED, '1');
  setSession(null);
}

const EXPIRED = 'roost.expired';

/** Whether the last session ended because the server refused it (once):
 *  the sign-in page then says so, rather than greeting a newcomer with it. */
export function takeExpired(): boolean {
  const e = sessionStorage.getItem(EXPIRED) === '1';
  sessionStorage.removeItem(EXPIRED);
  return e;
}

/** Where to return after an expired session's sign-in (once). */
export function takeReturnPath(): string | null {
  const n = sessionStorage.getItem('roost.next');
  sessionStorage.removeItem('roost.next');
  return n;
}
