// The instance's settings an admin changes at run time (name, rules,
// sign-up mode, the privacy declarations and the retention policy), each
// showing whether it comes from the configuration file or was changed
// here, and the retention purge's status.
import { useEffect, useState } from 'preact/hooks';
import { del, get, patch } from '../../api';
import { loadInstance } from '../../state';
import { ErrorBox, Loading } from '../../ui/common';
import { Day, Saved, Section, useAction, useLoad } from '../settings/shared';

/** GET /api/v1/roost/admin/settings (internal/mastoapi/admin_settings.go): key → value and source. */
type Settings = Record<string, { value: string | string[] | number; source: 'config' | 'override' | string }>;

/** GET /api/v1/admin/retention (internal/mastoapi/retention.go). */
interface RetentionCategory {
  category: string;
  max_age_days: number;
  purge: string;
  description: string;
  last_run_at: string | null;
  last_purged: number;
  total_purged: number;
}

interface Meta {
  label: string;
  hint?: string;
  long?: boolean;
  choices?: [string, string][];
}

const known: Record<string, Meta> = {
  'instance.title': { label: 'Server name' },
  'instance.description': { label: 'Short description', long: true },
  'instance.contact_email': { label: 'Contact email', hint: 'Shown on the about page; where people reach the admins.' },
  'instance.rules': { label: 'Rules', hint: 'One rule per line. People agree to them when they sign up.', long: true },
  'instance.registration': {
    label: 'Sign-ups',
    choices: [
      ['open', 'Open: anyone can sign up'],
      ['approval', 'Approval: an admin approves each sign-up'],
      ['invite', 'Invite only'],
      ['closed', 'Closed'],
    ],
  },
  'instance.jurisdiction': { label: 'Jurisdiction', hint: 'The country whose law applies to this server. Needed before sign-ups open on a public domain.' },
  'instance.hosting_provider': { label: 'Hosting provider', hint: 'Who runs the machine this server is on. Needed before sign-ups open on a public domain.' },
  'instance.legal_policy_url': { label: 'Legal process policy (address)', hint: 'A page explaining how the server answers requests from the authorities.' },
};

const retentionLabels: Record<string, string> = {
  remote_statuses: 'Cached posts from other servers',
  direct_messages: 'Direct messages',
  remote_accounts: 'Cached accounts of other servers',
  remote_media: 'Cached media of other servers',
  notifications: 'Notifications',
  tokens: 'Unused sessions and app tokens',
  closed_reports: 'Resolved reports',
  delivery: 'Delivery bookkeeping',
  jobs: 'Failed background jobs',
  audit: 'Moderation audit records',
  auto_delete: 'Posts under their author’s auto-delete',
  keys: 'Encryption keys of past months',
};

// The order of the form: the instance's settings as listed in known, then
// the retention categories as listed in retentionLabels, then any other.
function rank(key: string): number {
  const i = Object.keys(known).indexOf(key);
  if (i >= 0) return i;
  const j = Object.keys(retentionLabels).findIndex((c) => key === `retention.${c}_days`);
  return j >= 0 ? 100 + j : 1000;
}

function metaOf(key: string): Meta {
  if (known[key]) return known[key];
  const m = key.match(/^retention\.(.+)_days$/);
  if (m) return { label: (retentionLabels[m[1]] ?? m[1].replace(/_/g, ' ')) + ' (days)', hint: '0 keeps them forever; otherwise 1 to 3650.' };
  return { label: key };
}

/** The field's id: stable, for tests and labels (instance.title → setting-instance-title). */
export const settingId = (key: string) => 'setting-' + key.replace(/\./g, '-');

function toText(v: Settings[string]['value']): string {
  return Array.isArray(v) ? v.join('\n') : String(v ?? '');
}

function fromText(text: string, old: Settings[string]['value']): unknown {
  if (Array.isArray(old))
    return text
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean);
  if (typeof old === 'number') return /^\s*-?\d+\s*$/.test(text) ? Number(text) : text; // the server refuses a non-number clearly
  return text;
}

export function AdminInstance() {
  return (
    <>
      <SettingsForm />
      <RetentionStatus />
    </>
  );
}

function SettingsForm() {
  const load = useLoad((signal) => get<Settings>('/api/v1/roost/admin/settings', undefined, signal));
  const [texts, setTexts] = useState<Record<string, string>>({});
  const act = useAction();
  const reset = useAction();
  useEffect(() => {
    if (!load.data) return;
    const t: Record<string, string> = {};
    for (const [k, v] of Object.entries(load.data)) t[k] = toText(v.value);
    setTexts(t);
  }, [load.data]);

  if (load.error) return <ErrorBox error={load.error} onRetry={load.reload} />;
  const data = load.data;
  if (!data) return <Loading />;
  const ordered = Object.keys(data).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const changed = ordered.filter((k) => texts[k] !== undefined && texts[k] !== toText(data[k].value));

  const applied = (s: Settings) => load.setData(s);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!changed.length) return;
    const body: Record<string, unknown> = {};
    for (const k of changed) body[k] = fromText(texts[k], data[k].value);
    const s = await act.run(() => patch<Settings>('/api/v1/roost/admin/settings', body), `Saved ${changed.length} ${changed.length === 1 ? 'setting' : 'settings'}.`);
    if (s) {
      applied(s);
      loadInstance(true).catch(() => undefined); // the title and rules shown everywhere
    }
  };
  const resetKey = async (k: string) => {
    const s = await reset.run(() => del<Settings>('/api/v1/roost/admin/settings/' + encodeURIComponent(k)), `${metaOf(k).label}: back to the configuration file's value.`);
    if (s) applied(s);
  };

  const field = (k: string) => {
    const m = metaOf(k);
    const id = settingId(k);
    const v = texts[k] ?? '';
    const set = (x: string) => setTexts((t) => ({ ...t, [k]: x }));
    const hintId = id + '-hint';
    const override = data[k].source === 'override';
    return (
      <div class="setting" key={k}>
        <label for={id}>{m.label}</label>
        {m.hint && (
          <p class="hint" id={hintId}>
            {m.hint}
          </p>
        )}
        {m.choices ? (
          <select id={id} value={v} onChange={(e) => set(e.currentTarget.value)} aria-describedby={m.hint ? hintId : undefined}>
            {m.choices.map(([c, label]) => (
              <option key={c} value={c}>
                {label}
              </option>
            ))}
            {!m.choices.some(([c]) => c === v) && <option value={v}>{v}</option>}
          </select>
        ) : m.long || Array.isArray(data[k].value) ? (
          <textarea id={id} value={v} onInput={(e) => set(e.currentTarget.value)} aria-describedby={m.hint ? hintId : undefined} />
        ) : (
          <input
            id={id}
            class={typeof data[k].value === 'number' ? 'short' : undefined}
            inputMode={typeof data[k].value === 'number' ? 'numeric' : undefined}
            value={v}
            onInput={(e) => set(e.currentTarget.value)}
            aria-describedby={m.hint ? hintId : undefined}
          />
        )}
        <div class="row small">
          <span class={'source ' + (override ? 'override' : 'config')}>{override ? 'Changed here' : 'From the configuration file'}</span>
          {override && (
            <button type="button" class="link" onClick={() => resetKey(k)} disabled={reset.busy} aria-label={`Reset ${m.label} to the configuration file's value`}>
              Reset
            </button>
          )}
        </div>
      </div>
    );
  };

  return (
    <form class="form settings-form" onSubmit={submit} aria-labelledby="instance-settings-h">
      <h2 id="instance-settings-h">Instance settings</h2>
      <p>
        These values are set in the configuration file; a change made here overrides the file until you reset it. The privacy facts,
        the about pages and the retention purge follow the values at once.
      </p>
      <fieldset>
        <legend>The server</legend>
        {ordered.filter((k) => k.startsWith('instance.')).map(field)}
      </fieldset>
      <fieldset>
        <legend>Retention: how long data is kept</legend>
        {ordered.filter((k) => !k.startsWith('instance.')).map(field)}
      </fieldset>
      <ErrorBox error={act.error ?? reset.error} />
      {act.done && <Saved message={act.done} />}
      {reset.done && <Saved message={reset.done} />}
      <div class="row">
        <button id="instance-settings-save" type="submit" class="primary" disabled={act.busy || changed.length === 0}>
          {act.busy ? 'Saving…' : changed.length ? `Save ${changed.length} ${changed.length === 1 ? 'change' : 'changes'}` : 'No changes to save'}
        </button>
      </div>
    </form>
  );
}

function RetentionStatus() {
  const r = useLoad((signal) => get<RetentionCategory[]>('/api/v1/admin/retention', undefined, signal));
  return (
    <Section id="retention-status-h" title="Retention purge">
      {r.error ? <ErrorBox error={r.error} onRetry={r.reload} /> : null}
      {!r.data && !r.error && <Loading />}
      {r.data && (
        <div class="table-wrap">
          <table class="retention stack">
            <caption>What the scheduled purge deletes, and when it last ran</caption>
            <thead>
              <tr>
                <th scope="col">Data</th>
                <th scope="col">Kept for</th>
                <th scope="col">Last run</th>
                <th scope="col">Deleted last run</th>
                <th scope="col">Deleted in total</th>
              </tr>
            </thead>
            <tbody>
              {r.data.map((c) => (
                <tr key={c.category}>
                  <th scope="row">
                    {retentionLabels[c.category] ?? c.category}
                    <div class="muted small">{c.description}</div>
                  </th>
                  <td data-label="Kept for">{c.max_age_days > 0 ? `${c.max_age_days} days` : 'Forever'}</td>
                  <td data-label="Last run">{c.purge === 'none' ? 'Nothing to purge yet' : <Day iso={c.last_run_at} />}</td>
                  <td data-label="Deleted last run">{c.last_purged}</td>
                  <td data-label="Deleted in total">{c.total_purged}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p>
        <button type="button" onClick={r.reload} disabled={r.loading}>
          Refresh
        </button>
      </p>
    </Section>
  );
}
