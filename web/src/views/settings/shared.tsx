// Pieces the settings and admin views share: loading a resource, a
// section's tabs, a saved-or-failed line under a form, and a button that
// asks once more before doing something that cannot be undone.
import { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { page } from '../../api';
import { Link } from '../../router';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
  setData: (d: T) => void;
}

/** Loads a resource when the view opens (and on reload), aborting when it closes. */
export function useLoad<T>(fn: (signal: AbortSignal) => Promise<T>, deps: unknown[] = []): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [n, setN] = useState(0);
  useEffect(() => {
    const ac = new AbortController();
    setLoading(true);
    setError(null);
    fn(ac.signal)
      .then((d) => !ac.signal.aborted && setData(d))
      .catch((e) => !ac.signal.aborted && (e as Error).name !== 'AbortError' && setError(e))
      .finally(() => !ac.signal.aborted && setLoading(false));
    return () => ac.abort();
  }, [n, ...deps]);
  const reload = useCallback(() => setN((x) => x + 1), []);
  return { data, error, loading, reload, setData };
}

/** A list read a page of limit at a time (older pages by the Link
 *  header's max_id), kept as items the view may change in place: an entry
 *  added, edited or undone without reading the list again. toItem turns an
 *  entry of the API into an item, and same tells two items for one entry,
 *  so that a later page repeats none. Both are module-level functions. */
export function usePagedItems<R, T>(path: string, limit: number, toItem: (r: R) => T, same: (a: T, b: T) => boolean) {
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<string | undefined>();
  const first = useLoad(async (signal) => {
    const pg = await page<R>(path, { limit }, signal);
    setItems(pg.items.map(toItem));
    setNext(pg.items.length >= limit ? pg.next : undefined);
    return true;
  });
  const more = useAction();
  const loadMore = () =>
    more.run(async () => {
      const pg = await page<R>(path, { limit, max_id: next });
      const got = pg.items.map(toItem);
      setItems((l) => [...l, ...got.filter((x) => !l.some((y) => same(x, y)))]);
      setNext(pg.items.length >= limit ? pg.next : undefined);
    });
  return { items, setItems, first, more, loadMore, hasMore: next !== undefined };
}

/** The "Load more" button of a usePagedItems list, while there is more. */
export function MoreButton({ list }: { list: { hasMore: boolean; loadMore: () => void; more: { busy: boolean } } }) {
  if (!list.hasMore) return null;
  return (
    <button type="button" onClick={list.loadMore} disabled={list.more.busy}>
      Load more
    </button>
  );
}

/** Runs an action, tracking whether it is busy and how it ended. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState('');
  const mounted = useRef(true);
  useEffect(
    () => () => {
      mounted.current = false;
    },
    [],
  );
  const run = async <T,>(fn: () => Promise<T>, message = ''): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    setDone('');
    try {
      const r = await fn();
      if (mounted.current) setDone(message);
      return r;
    } catch (e) {
      if (mounted.current) setError(e);
      return undefined;
    } finally {
      if (mounted.current) setBusy(false);
    }
  };
  return { busy, error, done, run, setError };
}

/** A polite status line ("Saved."), announced to screen readers. */
export function Saved({ message }: { message: string }) {
  return (
    <p class="saved" role="status">
      {message}
    </p>
  );
}

/** A section's tabs: links with aria-current on the one shown. */
export function Tabs({ label, tabs, current }: { label: string; tabs: [string, string][]; current: string }) {
  return (
    <nav class="tabs" aria-label={label}>
      {tabs.map(([href, text]) => (
        <Link key={href} href={href} aria-current={href === current ? 'page' : undefined}>
          {text}
        </Link>
      ))}
    </nav>
  );
}

interface ConfirmProps {
  /** The button's text before asking. */
  label: string;
  /** The question shown when asking again. */
  question: string;
  /** The confirming button's text. */
  confirm: string;
  onConfirm: () => void;
  busy?: boolean;
  /** An accessible name that says what the button acts on. */
  name?: string;
  danger?: boolean;
}

/**
 * A two-step button for destructive actions: the first press asks, the
 * second does it. No window.confirm, which keyboard and test users handle
 * badly.
 */
export function ConfirmButton(p: ConfirmProps) {
  const [asking, setAsking] = useState(false);
  const yes = useRef<HTMLButtonElement>(null);
  const first = useRef<HTMLButtonElement>(null);
  const asked = useRef(false);
  // The keyboard focus follows the question, and comes back when it is answered.
  useEffect(() => {
    if (asking) yes.current?.focus();
    else if (asked.current) first.current?.focus();
    asked.current = asking;
  }, [asking]);
  if (!asking)
    return (
      <button ref={first} type="button" class={p.danger ? 'danger' : undefined} aria-label={p.name} onClick={() => setAsking(true)} disabled={p.busy}>
        {p.label}
      </button>
    );
  return (
    <span class="confirm" role="group" aria-label={p.question}>
      <span>{p.question}</span>
      <button
        ref={yes}
        type="button"
        class={p.danger ? 'danger solid' : 'primary'}
        disabled={p.busy}
        onClick={() => {
          setAsking(false);
          p.onConfirm();
        }}
      >
        {p.confirm}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}

/** A day (YYYY-MM-DD or an ISO time) in the reader's format. */
export function Day({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <>never</>;
  const d = new Date(iso.length === 10 ? iso + 'T00:00:00Z' : iso);
  if (isNaN(d.getTime())) return <>{iso}</>;
  return <time dateTime={iso}>{d.toLocaleDateString(undefined, { timeZone: 'UTC' })}</time>;
}

/** A section with its own heading (h2), for the order of headings. */
export function Section({ id, title, children }: { id: string; title: string; children: ComponentChildren }) {
  return (
    <section aria-labelledby={id} class="settings-section">
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

export function bytes(n: number): string {
  if (n < 1024) return n + ' B';
  if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KB';
  return (n / 1024 / 1024).toFixed(1) + ' MB';
}
