// Auto-delete: the user's own posts older than a threshold are deleted
// (here and on other servers), except those the options keep.
import { useEffect, useState } from 'preact/hooks';
import { get, put } from '../../api';
import { ErrorBox, Loading } from '../../ui/common';
import { Saved, useAction, useLoad } from './shared';

/** GET/PUT /api/v1/statuses_cleanup (internal/mastoapi/autodelete.go). */
interface AutoDelete {
  enabled: boolean;
  min_status_age_days: number;
  keep_direct: boolean;
  keep_pinned: boolean;
  keep_polls: boolean;
  keep_media: boolean;
  keep_self_fav: boolean;
  keep_self_bookmark: boolean;
  min_favs: number | null;
  min_reblogs: number | null;
}

type KeepKey = 'keep_pinned' | 'keep_direct' | 'keep_self_bookmark' | 'keep_self_fav' | 'keep_polls' | 'keep_media';

const keeps: [KeepKey, string, string][] = [
  ['keep_pinned', 'autodelete-keep-pinned', 'Keep pinned posts'],
  ['keep_direct', 'autodelete-keep-direct', 'Keep direct messages'],
  ['keep_self_bookmark', 'autodelete-keep-bookmarked', 'Keep posts I bookmarked'],
  ['keep_self_fav', 'autodelete-keep-favourited', 'Keep posts I favourited'],
  ['keep_polls', 'autodelete-keep-polls', 'Keep posts with polls'],
  ['keep_media', 'autodelete-keep-media', 'Keep posts with media'],
];

// Mastodon's choices of age, in days.
const ages = [7, 14, 30, 60, 90, 180, 365, 730];

interface Form {
  p: AutoDelete;
  favs: string; // text fields, so that what the user typed survives an error
  reblogs: string;
}

export function AutoDeleteSettings() {
  const load = useLoad((signal) => get<AutoDelete>('/api/v1/statuses_cleanup', undefined, signal));
  const [f, setF] = useState<Form | null>(null);
  const act = useAction();
  useEffect(() => {
    if (load.data) setF({ p: load.data, favs: String(load.data.min_favs ?? ''), reblogs: String(load.data.min_reblogs ?? '') });
  }, [load.data]);

  if (load.error) return <ErrorBox error={load.error} onRetry={load.reload} />;
  if (!f) return <Loading />;
  const set = (p: Partial<AutoDelete>) => setF((o) => o && { ...o, p: { ...o.p, ...p } });
  const ageChoices = ages.includes(f.p.min_status_age_days) || !f.p.min_status_age_days ? ages : [...ages, f.p.min_status_age_days].sort((a, b) => a - b);

  const submit = async (e: Event) => {
    e.preventDefault();
    const saved = await act.run(
      () =>
        put<AutoDelete>('/api/v1/statuses_cleanup', {
          ...f.p,
          // 0 clears a threshold; a non-number goes as typed, for the server to refuse.
          min_favs: f.favs.trim() === '' ? 0 : f.favs.trim(),
          min_reblogs: f.reblogs.trim() === '' ? 0 : f.reblogs.trim(),
        }),
      'Auto-delete settings saved.',
    );
    if (saved) load.setData(saved);
  };

  return (
    <form class="form settings-form" onSubmit={submit} aria-labelledby="autodelete-h">
      <h2 id="autodelete-h">Auto-delete old posts</h2>
      <p>
        When this is on, your posts older than the age you choose are deleted automatically, here and on the other servers that
        received them, unless one of the options below keeps them. Deleted posts cannot be brought back.
      </p>
      <label class="check">
        <input id="autodelete-enabled" type="checkbox" checked={f.p.enabled} onChange={(e) => set({ enabled: e.currentTarget.checked })} />
        <span>Delete my old posts automatically</span>
      </label>
      <label for="autodelete-age">Delete posts older than</label>
      <select id="autodelete-age" value={String(f.p.min_status_age_days)} onChange={(e) => set({ min_status_age_days: Number(e.currentTarget.value) })}>
        {ageChoices.map((d) => (
          <option key={d} value={String(d)}>
            {d % 365 === 0 ? `${d / 365} ${d === 365 ? 'year' : 'years'}` : `${d} days`}
          </option>
        ))}
      </select>
      <fieldset>
        <legend>Keep these posts</legend>
        {keeps.map(([key, id, label]) => (
          <label class="check" key={key}>
            <input id={id} type="checkbox" checked={f.p[key]} onChange={(e) => set({ [key]: e.currentTarget.checked } as Partial<AutoDelete>)} />
            <span>{label}</span>
          </label>
        ))}
        <label for="autodelete-min-favs">Keep posts with at least this many favourites</label>
        <input
          id="autodelete-min-favs"
          class="short"
          inputMode="numeric"
          placeholder="no limit"
          value={f.favs}
          onInput={(e) => {
            const favs = e.currentTarget.value;
            setF((o) => o && { ...o, favs });
          }}
        />
        <label for="autodelete-min-reblogs">Keep posts with at least this many boosts</label>
        <input
          id="autodelete-min-reblogs"
          class="short"
          inputMode="numeric"
          placeholder="no limit"
          value={f.reblogs}
          onInput={(e) => {
            const reblogs = e.currentTarget.value;
            setF((o) => o && { ...o, reblogs });
          }}
        />
      </fieldset>
      <ErrorBox error={act.error} />
      {act.done && <Saved message={act.done} />}
      <div class="row">
        <button id="autodelete-save" type="submit" class="primary" disabled={act.busy}>
          {act.busy ? 'Saving…' : 'Save auto-delete settings'}
        </button>
      </div>
    </form>
  );
}
