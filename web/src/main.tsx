// The web client: the frame (landmarks, navigation) and the routes.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { onSession, session, signOut, takeExpired } from './auth';
import { Link, match, navigate, useLocation } from './router';
import type { Route } from './route';
import { isStaff, loadMe, useApp } from './state';
import { ErrorBox, Loading, PageTitle } from './ui/common';
import { unreadLabel, useUnread } from './ui/unread';
import { Callback, SignIn, SignUp } from './views/auth';
import { Timeline } from './views/timelines';
import { readingRoutes } from './views/reading';
import { settingsRoutes } from './views/settings';
import { adminRoutes } from './views/admin';

const routes: Route[] = [
  { path: '/web', view: () => <Timeline kind="home" /> },
  { path: '/web/local', view: () => <Timeline kind="local" /> },
  { path: '/web/federated', view: () => <Timeline kind="federated" /> },
  { path: '/web/signin', view: (_, q) => <SignIn expired={q.has('expired')} />, public: true },
  { path: '/web/signup', view: () => <SignUp />, public: true },
  { path: '/web/callback', view: () => <Callback />, public: true },
  ...readingRoutes,
  ...settingsRoutes,
  ...adminRoutes,
];

function useSession() {
  const [s, setS] = useState(session());
  useEffect(() => onSession(() => setS(session())), []);
  return s;
}

const nav: [string, string][] = [
  ['/web', 'Home'],
  ['/web/notifications', 'Notifications'],
  ['/web/local', 'Local'],
  ['/web/federated', 'Federated'],
  ['/web/search', 'Search'],
  ['/web/bookmarks', 'Bookmarks'],
  ['/web/favourites', 'Favourites'],
  ['/web/settings', 'Settings'],
];

function Nav({ path }: { path: string }) {
  const { me } = useApp();
  // On a phone the links fold behind a Menu button; it closes on every move.
  const [open, setOpen] = useState(false);
  useEffect(() => setOpen(false), [path]);
  const here = (href: string) => (path.replace(/\/+$/, '') === href || (href !== '/web' && path.startsWith(href + '/')) ? 'page' : undefined);
  const unread = useUnread(path);
  const items = me ? [...nav, ['/web/@' + me.acct, 'Profile'] as [string, string]] : nav;
  if (isStaff(me)) items.push(['/web/admin', 'Admin']);
  return (
    <nav class="nav" aria-label="Main">
      <button type="button" class="menu-toggle" aria-expanded={open} aria-controls="main-nav" onClick={() => setOpen(!open)}>
        Menu
      </button>
      <ul id="main-nav" class={open ? 'open' : undefined}>
        {items.map(([href, label]) => (
          <li key={href}>
            <Link href={href} aria-current={here(href)}>
              {label}
              {href === '/web/notifications' && unread > 0 && (
                <span class="badge">
                  {' '}
                  {unreadLabel(unread)}
                  <span class="visually-hidden"> unread</span>
                </span>
              )}
            </Link>
          </li>
        ))}
        <li>
          <button type="button" class="link" onClick={() => signOut().then(() => navigate('/web/signin'))}>
            Sign out
          </button>
        </li>
      </ul>
    </nav>
  );
}

function App() {
  const { path, query } = useLocation();
  const s = useSession();
  const { instance, me } = useApp();
  const [meError, setMeError] = useState<unknown>(null);
  useEffect(() => {
    setMeError(null);
    if (s) loadMe().catch(setMeError);
  }, [s]);

  let found: { r: Route; params: Record<string, string> } | null = null;
  for (const r of routes) {
    const params = match(r.path, path);
    if (params) {
      found = { r, params };
      break;
    }
  }
  // A view that needs a session sends a signed-out reader to sign in, and back here afterwards.
  useEffect(() => {
    if (found && !found.r.public && !s) {
      sessionStorage.setItem('roost.next', path + location.search);
      navigate('/web/signin' + (takeExpired() ? '?expired=1' : ''), true);
    }
  }, [found?.r, s]);

  let body;
  if (!found) body = <NotFound />;
  else if (!found.r.public && !s) body = <Loading />;
  else if (!found.r.public && !me) body = meError ? <ErrorBox error={meError} onRetry={() => loadMe(true).catch(setMeError)} /> : <Loading />;
  else body = found.r.view(found.params, query);

  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="banner">
        <a href={s ? '/web/' : '/'} class="brand">
          {instance?.title ?? 'Roost'}
        </a>
      </header>
      <div class={'frame' + (s ? '' : ' signed-out')}>
        {s && me && <Nav path={path} />}
        <main id="main" tabIndex={-1}>
          {body}
        </main>
      </div>
    </>
  );
}

function NotFound() {
  return (
    <>
      <PageTitle title="Not found">Page not found</PageTitle>
      <p>
        There is nothing at this address. <Link href="/web">Go home</Link>
      </p>
    </>
  );
}

render(<App />, document.getElementById('app')!);
