// Small pieces every view uses.
import { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { Account } from '../types';
import { Link, hasNavigated } from '../router';

const MISSING_AVATAR = '/avatars/original/missing.png';

/** Same-origin images only: the client makes no request to another server. */
export function localImage(url: string | undefined, fallback: string): string {
  if (!url) return fallback;
  try {
    return new URL(url, location.origin).origin === location.origin ? url : fallback;
  } catch {
    return fallback;
  }
}

export function Avatar({ account, size = 48 }: { account: Account; size?: number }) {
  return (
    <img
      class="avatar"
      src={localImage(account.avatar, MISSING_AVATAR)}
      width={size}
      height={size}
      alt=""
      loading="lazy"
    />
  );
}

export function displayName(a: Account): string {
  return a.display_name?.trim() || a.username;
}

/** An account's name and handle, linking to its profile in the app. */
export function AccountName({ account }: { account: Account }) {
  return (
    <Link href={profilePath(account)} class="account-name">
      <bdi class="display-name">{displayName(account)}</bdi> <span class="acct">@{account.acct}</span>
    </Link>
  );
}

export function profilePath(a: Account): string {
  return '/web/@' + a.acct;
}

/** The server's message, in place, announced to screen readers. */
export function ErrorBox({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (!error) return null;
  const msg = error instanceof Error ? error.message : String(error);
  return (
    <div class="error" role="alert">
      <span>{msg}</span>
      {onRetry && (
        <button type="button" class="link" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Loading({ label = 'Loading' }: { label?: string }) {
  return (
    <p class="loading" role="status">
      {label}…
    </p>
  );
}

const rtf = typeof Intl !== 'undefined' && 'RelativeTimeFormat' in Intl ? new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' }) : null;

/** A <time> showing how long ago, with the full date as its title. */
export function Ago({ iso }: { iso: string }) {
  const d = new Date(iso);
  const s = Math.round((d.getTime() - Date.now()) / 1000);
  const abs = Math.abs(s);
  let text = d.toLocaleDateString();
  if (rtf) {
    if (abs < 60) text = rtf.format(s, 'second');
    else if (abs < 3600) text = rtf.format(Math.round(s / 60), 'minute');
    else if (abs < 86400) text = rtf.format(Math.round(s / 3600), 'hour');
    else if (abs < 86400 * 7) text = rtf.format(Math.round(s / 86400), 'day');
  }
  return (
    <time dateTime={iso} title={d.toLocaleString()}>
      {text}
    </time>
  );
}

/** A page's heading, focused when the view opens so screen readers announce it. */
export function PageTitle({ children, title }: { children: ComponentChildren; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = title;
    if (hasNavigated()) ref.current?.focus({ preventScroll: true });
  }, [title]);
  return (
    <h1 ref={ref} tabIndex={-1} class="page-title">
      {children}
    </h1>
  );
}

/** Renders server-sanitized HTML (post content, bios). */
export function Html({ html, class: cls }: { html: string; class?: string }) {
  return <div class={cls} dangerouslySetInnerHTML={{ __html: html }} />;
}
