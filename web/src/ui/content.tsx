// Server-sanitized HTML (a post's content, a bio) whose mention and
// hashtag links open in the app instead of on the server they point at.
// The links stay real <a href>s: their address is rewritten to the in-app
// one, so the keyboard, middle-click and "copy link" all agree.
import { useLayoutEffect, useRef } from 'preact/hooks';
import { navigate } from '../router';
import type { Mention } from '../types';

/** The in-app address of a mention or hashtag link, or null for any other link. */
export function inAppPath(a: HTMLAnchorElement, mentions: Mention[] = []): string | null {
  const cls = a.classList;
  const text = (a.textContent ?? '').trim();
  if (cls.contains('hashtag') || a.rel.split(/\s+/).includes('tag')) {
    const name = text.replace(/^[#＃]/, '');
    return name ? '/web/tags/' + encodeURIComponent(name) : null;
  }
  if (!cls.contains('mention') || !text.startsWith('@')) return null;
  const href = a.getAttribute('href') ?? '';
  const known = mentions.find((m) => m.url === href);
  if (known) return '/web/@' + known.acct;
  let host = '';
  try {
    host = new URL(href, location.origin).host;
  } catch {
    return null;
  }
  const user = text.slice(1).split('@')[0];
  if (!user) return null;
  return '/web/@' + (host === location.host ? user : user + '@' + host);
}

interface Props {
  html: string;
  mentions?: Mention[];
  class?: string;
}

export function RichText({ html, mentions, class: cls }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.innerHTML = html;
    el.querySelectorAll('a').forEach((a) => {
      const to = inAppPath(a, mentions);
      if (to) {
        a.setAttribute('href', to);
        a.dataset.inApp = '1';
      } else {
        // Links to other servers leave the app in a new context, without telling them where from.
        a.setAttribute('rel', 'nofollow noopener noreferrer');
      }
    });
  }, [html, mentions]);
  const onClick = (e: MouseEvent) => {
    const a = (e.target as Element | null)?.closest?.('a');
    if (!a || !a.dataset.inApp) return;
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(a.getAttribute('href')!);
    window.scrollTo(0, 0);
  };
  // The click handler only catches clicks on the real links inside.
  return <div ref={ref} class={cls} onClick={onClick} />;
}
