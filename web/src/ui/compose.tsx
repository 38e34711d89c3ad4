// Writing a post. What the user types is saved in this browser as they
// type, so neither an error nor a reload loses it; it is cleared only once
// the server has accepted the post.
import { useEffect, useRef, useState } from 'preact/hooks';
import { post } from '../api';
import type { Account, Status, Visibility } from '../types';
import { useApp } from '../state';
import { ErrorBox, displayName } from './common';
import { visibilityLabel } from './status';

interface Draft {
  text: string;
  cw: string;
  cwOn: boolean;
  visibility: Visibility;
  language: string;
}

const draftKey = (replyTo?: string) => 'roost.draft.' + (replyTo ?? 'new');

function loadDraft(key: string, fallback: Draft): Draft {
  try {
    const v = localStorage.getItem(key);
    return v ? { ...fallback, ...JSON.parse(v) } : fallback;
  } catch {
    return fallback;
  }
}

/** Characters as Mastodon counts them: every link counts as 23. */
export function countChars(text: string, perURL = 23): number {
  const urls = text.match(/https?:\/\/\S+/g) ?? [];
  let n = [...text].length;
  for (const u of urls) n += perURL - [...u].length;
  return n;
}

const languages: [string, string][] = [
  ['en', 'English'], ['de', 'Deutsch'], ['es', 'Español'], ['fr', 'Français'], ['it', 'Italiano'],
  ['ja', '日本語'], ['nl', 'Nederlands'], ['pl', 'Polski'], ['pt', 'Português'], ['sv', 'Svenska'],
  ['uk', 'Українська'], ['zh', '中文'],
];

function mentionsFor(replyTo: Status | undefined, me: Account | null): string {
  if (!replyTo) return '';
  const accts = [replyTo.account.acct, ...replyTo.mentions.map((m) => m.acct)].filter((a) => a !== me?.acct);
  return [...new Set(accts)].map((a) => '@' + a + ' ').join('');
}

interface Props {
  replyTo?: Status;
  onPosted?: (s: Status) => void;
  autoFocus?: boolean;
}

export function Compose({ replyTo, onPosted, autoFocus }: Props) {
  const { instance, me } = useApp();
  const key = draftKey(replyTo?.id);
  const defaults: Draft = {
    text: mentionsFor(replyTo, me),
    cw: replyTo?.spoiler_text ?? '',
    cwOn: !!replyTo?.spoiler_text,
    visibility: replyTo?.visibility ?? me?.source?.privacy ?? 'public',
    language: me?.source?.language || (navigator.language || 'en').slice(0, 2),
  };
  const [d, setD] = useState<Draft>(() => loadDraft(key, defaults));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState('');
  const area = useRef<HTMLTextAreaElement>(null);
  const max = instance?.configuration.statuses.max_characters ?? 500;
  const used = countChars(d.text) + (d.cwOn ? [...d.cw].length : 0);
  const id = replyTo ? 'compose-' + replyTo.id : 'compose';

  useEffect(() => {
    if (autoFocus) area.current?.focus();
  }, [autoFocus]);

  const change = (patch: Partial<Draft>) => {
    setSent('');
    setD((old) => {
      const n = { ...old, ...patch };
      try {
        localStorage.setItem(key, JSON.stringify(n));
      } catch {
        /* storage full or off: the draft lives in memory only */
      }
      return n;
    });
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy || !d.text.trim() || used > max) return;
    setBusy(true);
    setError(null);
    try {
      const s = await post<Status>('/api/v1/statuses', {
        status: d.text,
        spoiler_text: d.cwOn ? d.cw : '',
        sensitive: d.cwOn && d.cw !== '',
        visibility: d.visibility,
        language: d.language,
        in_reply_to_id: replyTo?.id,
      });
      localStorage.removeItem(key);
      setD({ ...defaults, text: mentionsFor(replyTo, me) });
      setSent('Posted.');
      onPosted?.(s);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="compose" onSubmit={submit} aria-label={replyTo ? 'Reply' : 'New post'}>
      {replyTo && (
        <p class="reply-context">
          Replying to <strong>{displayName(replyTo.account)}</strong> <span class="acct">@{replyTo.account.acct}</span>
        </p>
      )}
      {d.cwOn && (
        <>
          <label for={id + '-cw'} class="visually-hidden">
            Content warning
          </label>
          <input id={id + '-cw'} type="text" placeholder="Content warning" value={d.cw} onInput={(e) => change({ cw: e.currentTarget.value })} />
        </>
      )}
      <label for={id + '-text'} class="visually-hidden">
        {replyTo ? 'Your reply' : "What's on your mind?"}
      </label>
      <textarea
        id={id + '-text'}
        ref={area}
        rows={4}
        placeholder={replyTo ? 'Write your reply' : "What's on your mind?"}
        value={d.text}
        onInput={(e) => change({ text: e.currentTarget.value })}
        onKeyDown={(e) => (e.ctrlKey || e.metaKey) && e.key === 'Enter' && submit(e)}
      />
      <div class="compose-bar">
        <button type="button" aria-pressed={d.cwOn} onClick={() => change({ cwOn: !d.cwOn })}>
          CW
        </button>
        <label>
          <span class="visually-hidden">Visibility</span>
          <select value={d.visibility} onChange={(e) => change({ visibility: e.currentTarget.value as Visibility })}>
            {(Object.keys(visibilityLabel) as Visibility[]).map((v) => (
              <option value={v}>{visibilityLabel[v]}</option>
            ))}
          </select>
        </label>
        <label>
          <span class="visually-hidden">Language</span>
          <select value={d.language} onChange={(e) => change({ language: e.currentTarget.value })}>
            {languages.map(([code, name]) => (
              <option value={code}>{name}</option>
            ))}
          </select>
        </label>
        <span class={'counter' + (used > max ? ' over' : '')} aria-live="polite" aria-label={`${max - used} characters left`}>
          {max - used}
        </span>
        <button type="submit" class="primary" disabled={busy || !d.text.trim() || used > max}>
          {busy ? 'Posting…' : replyTo ? 'Reply' : 'Post'}
        </button>
      </div>
      <ErrorBox error={error} />
      {sent && (
        <p class="notice" role="status">
          {sent}
        </p>
      )}
    </form>
  );
}
