// A thread: the posts a post replies to, the post itself, a reply box,
// and the replies, indented by how deep they sit.
import { useEffect, useRef, useState } from 'preact/hooks';
import { get } from '../../api';
import { Link } from '../../router';
import { useApp } from '../../state';
import type { Context, Status as StatusT } from '../../types';
import { ErrorBox, Loading, PageTitle, displayName } from '../../ui/common';
import { Compose } from '../../ui/compose';
import { Status, isNotFound } from '../../ui/status';

interface Loaded {
  status: StatusT;
  ancestors: StatusT[];
  descendants: StatusT[];
}

const MAX_DEPTH = 4;

/** How deep each reply sits under the focused post (1 = a direct reply), capped for layout. */
export function depths(focusID: string, descendants: StatusT[]): Map<string, number> {
  const d = new Map<string, number>([[focusID, 0]]);
  for (const s of descendants) {
    const parent = s.in_reply_to_id ? d.get(s.in_reply_to_id) : undefined;
    d.set(s.id, Math.min((parent ?? 0) + 1, MAX_DEPTH));
  }
  return d;
}

export function Thread({ id, reply }: { id: string; reply: boolean }) {
  const { me } = useApp();
  const [data, setData] = useState<Loaded | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [deleted, setDeleted] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const focusRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const ac = new AbortController();
    setData(null);
    setError(null);
    setDeleted(false);
    Promise.all([get<StatusT>(`/api/v1/statuses/${encodeURIComponent(id)}`, undefined, ac.signal), get<Context>(`/api/v1/statuses/${encodeURIComponent(id)}/context`, undefined, ac.signal)])
      .then(([status, ctx]) => setData({ status: status.reblog ?? status, ancestors: ctx.ancestors, descendants: ctx.descendants }))
      .catch((e) => (e as Error).name !== 'AbortError' && setError(e));
    return () => ac.abort();
  }, [id, attempt]);

  // Keep the focused post in view when there are posts above it.
  useEffect(() => {
    if (data?.ancestors.length && !reply) focusRef.current?.scrollIntoView({ block: 'start' });
  }, [data?.status.id]);

  if (error && isNotFound(error)) {
    return (
      <>
        <PageTitle title="Post not found">Post not found</PageTitle>
        <p class="empty" id="thread-not-found">
          This post does not exist, was deleted, or is not visible to you.
        </p>
        <p>
          <Link href="/web">Back to your home timeline</Link>
        </p>
      </>
    );
  }
  if (error) {
    return (
      <>
        <PageTitle title="Thread">Thread</PageTitle>
        <ErrorBox error={error} onRetry={() => setAttempt((n) => n + 1)} />
      </>
    );
  }
  if (!data) {
    return (
      <>
        <PageTitle title="Thread">Thread</PageTitle>
        <Loading />
      </>
    );
  }

  const s = data.status;
  const title = `Post by ${displayName(s.account)}`;
  const replace = (list: StatusT[], t: StatusT) => list.map((x) => (x.id === t.id ? t : x));
  const without = (list: StatusT[], gone: string) => list.filter((x) => x.id !== gone);
  const update = (t: StatusT) =>
    setData((d) => d && { status: d.status.id === t.id ? t : d.status, ancestors: replace(d.ancestors, t), descendants: replace(d.descendants, t) });
  const remove = (gone: string) =>
    setData((d) => d && { ...d, ancestors: without(d.ancestors, gone), descendants: without(d.descendants, gone) });
  const posted = (r: StatusT) =>
    setData((d) => d && { ...d, status: { ...d.status, replies_count: d.status.replies_count + 1 }, descendants: [...d.descendants, r] });
  const focusCompose = () => document.getElementById(`compose-${s.id}-text`)?.focus();
  const depth = depths(s.id, data.descendants);

  return (
    <>
      <PageTitle title={title}>Thread</PageTitle>
      {data.ancestors.length > 0 && (
        <section class="thread-ancestors list" aria-label="Earlier in the thread">
          {data.ancestors.map((a) => (
            <div key={a.id} class="list-item">
              <Status status={a} me={me?.id} onChange={update} onDelete={remove} />
            </div>
          ))}
        </section>
      )}
      <div ref={focusRef} class="thread-focus" id="thread-focus">
        {deleted ? (
          <p class="notice" role="status">
            The post was deleted.
          </p>
        ) : (
          <Status status={s} me={me?.id} focused onChange={update} onDelete={() => setDeleted(true)} onReply={focusCompose} />
        )}
      </div>
      {!deleted && <Compose key={s.id} replyTo={s} autoFocus={reply} onPosted={posted} />}
      <section class="thread-replies list" aria-label="Replies">
        <h2 class="visually-hidden">Replies</h2>
        {data.descendants.length === 0 && <p class="empty">No replies yet.</p>}
        {data.descendants.map((r) => (
          <div key={r.id} class={'list-item reply-depth-' + (depth.get(r.id) ?? 1)}>
            <Status status={r} me={me?.id} onChange={update} onDelete={remove} />
          </div>
        ))}
      </section>
    </>
  );
}
