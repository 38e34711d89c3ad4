// A small history router: the app lives under /web/, every view has its
// own address, and links are real <a href>s (middle-click and the keyboard
// work as on any page).
import { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

type Listener = () => void;
const listeners = new Set<Listener>();
let moved = false;

/** Whether the reader has moved within the app since the page loaded: a
 *  view then takes the focus (its heading), as a new page would; on the
 *  first load the focus stays at the top, before the skip link. */
export function hasNavigated(): boolean {
  return moved;
}

export function navigate(to: string, replace = false) {
  if (to === location.pathname + location.search) return;
  moved = true;
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  listeners.forEach((f) => f());
}

addEventListener('popstate', () => {
  moved = true;
  listeners.forEach((f) => f());
});

/** The current location; re-renders the caller when it changes. */
export function useLocation(): { path: string; query: URLSearchParams } {
  const [, tick] = useState(0);
  useEffect(() => {
    const f = () => tick((n) => n + 1);
    listeners.add(f);
    return () => {
      listeners.delete(f);
    };
  }, []);
  return { path: location.pathname, query: new URLSearchParams(location.search) };
}

/** Matches path against a pattern like "/web/@:acct/followers"; returns the parameters or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.replace(/\/+$/, '').split('/');
  const got = path.replace(/\/+$/, '').split('/');
  if (want.length !== got.length) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const colon = want[i].indexOf(':');
    if (colon < 0) {
      if (want[i] !== got[i]) return null;
      continue;
    }
    const prefix = want[i].slice(0, colon);
    if (!got[i].startsWith(prefix) || got[i].length === prefix.length) return null;
    out[want[i].slice(colon + 1)] = decodeURIComponent(got[i].slice(prefix.length));
  }
  return out;
}

interface LinkProps {
  href: string;
  class?: string;
  children?: ComponentChildren;
  'aria-current'?: 'page' | undefined;
  'aria-label'?: string;
  title?: string;
}

/** An in-app link: a plain <a> whose unmodified left click navigates without a reload. */
export function Link(p: LinkProps) {
  const onClick = (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(p.href);
    window.scrollTo(0, 0);
  };
  return (
    <a href={p.href} class={p.class} onClick={onClick} aria-current={p['aria-current']} aria-label={p['aria-label']} title={p.title}>
      {p.children}
    </a>
  );
}
