// One post, with its actions. Boosts show the boosted post with a line
// naming who boosted it.
import { useState } from 'preact/hooks';
import { post, del, ApiError } from '../api';
import { Link, navigate } from '../router';
import type { Status as StatusT, Visibility } from '../types';
import { AccountName, Ago, Avatar, ErrorBox, displayName, profilePath } from './common';
import { RichText } from './content';

export const visibilityLabel: Record<Visibility, string> = {
  public: 'Public',
  unlisted: 'Unlisted',
  private: 'Followers only',
  direct: 'Mentioned people only',
};

interface Props {
  status: StatusT;
  me?: string | null; // the signed-in account's id
  onChange?: (s: StatusT) => void;
  onDelete?: (id: string) => void;
  onReply?: (s: StatusT) => void;
  focused?: boolean;
}

export function Status({ status, me, onChange, onDelete, onReply, focused }: Props) {
  const s = status.reblog ?? status;
  const [open, setOpen] = useState(!s.spoiler_text);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const act = async (path: string, apply: (r: StatusT) => StatusT) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      const r = await post<StatusT>(`/api/v1/statuses/${s.id}/${path}`);
      onChange?.(status.reblog ? { ...status, reblog: apply(r) } : apply(r));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const keep = (r: StatusT) => r;
  const remove = async () => {
    if (!confirm('Delete this post? This cannot be undone.')) return;
    try {
      await del(`/api/v1/statuses/${s.id}`);
      onDelete?.(status.id);
    } catch (e) {
      setError(e);
    }
  };
  const canBoost = s.visibility === 'public' || s.visibility === 'unlisted';
  const threadPath = `/web/statuses/${s.id}`;

  return (
    <article class={'status' + (focused ? ' focused' : '')} aria-label={`Post by ${displayName(s.account)}`}>
      {status.reblog && (
        <p class="boosted-by">
          <Link href={profilePath(status.account)}>{displayName(status.account)}</Link> boosted
        </p>
      )}
      <header class="status-head">
        <Avatar account={s.account} />
        <AccountName account={s.account} />
        <Link href={threadPath} class="status-time">
          <Ago iso={s.created_at} />
          <span class="visually-hidden">, open thread</span>
        </Link>
        <span class="visibility" title={visibilityLabel[s.visibility]}>
          {visibilityLabel[s.visibility]}
        </span>
      </header>
      {s.spoiler_text && (
        <p class="spoiler">
          <span>{s.spoiler_text}</span>{' '}
          <button type="button" class="link" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? 'Show less' : 'Show more'}
          </button>
        </p>
      )}
      {open && <RichText class="content" html={s.content} mentions={s.mentions} />}
      {s.edited_at && <p class="edited">Edited <Ago iso={s.edited_at} /></p>}
      <ErrorBox error={error} />
      <footer class="actions" role="group" aria-label="Post actions">
        <button type="button" onClick={() => (onReply ? onReply(s) : navigate(threadPath + '?reply=1'))}>
          Reply <span class="count">({s.replies_count})</span>
        </button>
        <button
          type="button"
          disabled={!canBoost}
          aria-pressed={!!s.reblogged}
          onClick={() => act(s.reblogged ? 'unreblog' : 'reblog', (r) => (r.reblog ? { ...s, reblogged: true, reblogs_count: s.reblogs_count + 1 } : r))}
        >
          Boost <span class="count">({s.reblogs_count})</span>
        </button>
        <button type="button" aria-pressed={!!s.favourited} onClick={() => act(s.favourited ? 'unfavourite' : 'favourite', keep)}>
          Favourite <span class="count">({s.favourites_count})</span>
        </button>
        <button type="button" aria-pressed={!!s.bookmarked} onClick={() => act(s.bookmarked ? 'unbookmark' : 'bookmark', keep)}>
          Bookmark
        </button>
        {me && s.account.id === me && (
          <button type="button" class="danger" onClick={remove}>
            Delete
          </button>
        )}
      </footer>
    </article>
  );
}

export function isNotFound(e: unknown) {
  return e instanceof ApiError && e.status === 404;
}
