// A paginated list (a timeline, notifications, accounts): older items load
// as the reader nears the end (or with the "Load more" button), and newer
// ones are fetched in the background and announced, never inserted under
// the reader's eyes.
import { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Page } from '../api';
import { ErrorBox, Loading } from './common';

export interface ListProps<T extends { id: string }> {
  /** Fetches a page: older than max_id, or newer than min_id. */
  load: (q: { max_id?: string; min_id?: string }, signal: AbortSignal) => Promise<Page<T>>;
  render: (item: T, update: (t: T) => void, remove: (id: string) => void) => ComponentChildren;
  /** Poll for newer items every this many seconds (0: never). */
  poll?: number;
  empty?: string;
  label: string;
  /** Items to put at the top (a post just written). */
  prepend?: T[];
  /** The page size load asks for: a shorter page is the last one. */
  pageSize?: number;
}

export function PagedList<T extends { id: string }>(p: ListProps<T>) {
  const [items, setItems] = useState<T[]>([]);
  const [fresh, setFresh] = useState<T[]>([]);
  const [next, setNext] = useState<string | undefined>();
  const [done, setDone] = useState(false);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const sentinel = useRef<HTMLDivElement>(null);
  const abort = useRef<AbortController | null>(null);
  const loadRef = useRef(p.load);
  loadRef.current = p.load;

  const more = useCallback(
    async (reset = false) => {
      abort.current?.abort();
      const ac = new AbortController();
      abort.current = ac;
      setLoading(true);
      setError(null);
      try {
        const pg = await loadRef.current(reset ? {} : { max_id: next }, ac.signal);
        setItems((have) => (reset ? pg.items : dedupe([...have, ...pg.items])));
        setNext(pg.next ?? (pg.items.length ? pg.items[pg.items.length - 1].id : undefined));
        setDone(pg.items.length === 0 || !pg.next || (p.pageSize !== undefined && pg.items.length < p.pageSize));
      } catch (e) {
        if ((e as Error).name !== 'AbortError') setError(e);
      } finally {
        if (abort.current === ac) setLoading(false);
      }
    },
    [next],
  );

  // First page, and again when the list's source changes.
  useEffect(() => {
    setItems([]);
    setFresh([]);
    setNext(undefined);
    setDone(false);
    more(true);
    return () => abort.current?.abort();
  }, [p.load]);

  useEffect(() => {
    if (p.prepend?.length) setItems((have) => dedupe([...p.prepend!, ...have]));
  }, [p.prepend]);

  // Older items when the end comes into view.
  useEffect(() => {
    const el = sentinel.current;
    if (!el || done || loading || error) return;
    const io = new IntersectionObserver((es) => es.some((e) => e.isIntersecting) && more());
    io.observe(el);
    return () => io.disconnect();
  }, [done, loading, error, more]);

  // Newer items in the background.
  useEffect(() => {
    if (!p.poll) return;
    const t = setInterval(async () => {
      const top = fresh[0]?.id ?? items[0]?.id;
      if (!top || document.hidden) return;
      try {
        const pg = await loadRef.current({ min_id: top }, new AbortController().signal);
        if (pg.items.length) setFresh((f) => dedupe([...pg.items, ...f]));
      } catch {
        /* the next poll tries again */
      }
    }, p.poll * 1000);
    return () => clearInterval(t);
  }, [p.poll, items, fresh]);

  const update = (t: T) => setItems((have) => have.map((x) => (x.id === t.id ? t : x)));
  const remove = (id: string) => setItems((have) => have.filter((x) => x.id !== id));
  const showFresh = () => {
    setItems((have) => dedupe([...fresh, ...have]));
    setFresh([]);
  };

  return (
    <section class="list" aria-label={p.label} aria-busy={loading}>
      <div aria-live="polite">
        {fresh.length > 0 && (
          <button type="button" class="new-items" onClick={showFresh}>
            Show {fresh.length} new {fresh.length === 1 ? 'item' : 'items'}
          </button>
        )}
      </div>
      {items.map((it) => (
        <div key={it.id} class="list-item">
          {p.render(it, update, remove)}
        </div>
      ))}
      {!loading && !error && items.length === 0 && <p class="empty">{p.empty ?? 'Nothing here yet.'}</p>}
      <ErrorBox error={error} onRetry={() => more(items.length === 0)} />
      {loading && <Loading />}
      {!done && !loading && !error && items.length > 0 && (
        <div ref={sentinel} class="more">
          <button type="button" onClick={() => more()}>
            Load more
          </button>
        </div>
      )}
    </section>
  );
}

function dedupe<T extends { id: string }>(list: T[]): T[] {
  const seen = new Set<string>();
  return list.filter((x) => (seen.has(x.id) ? false : (seen.add(x.id), true)));
}
