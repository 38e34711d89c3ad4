// The instance's domain blocks: list, add, edit, remove, and import a
// blocklist in Mastodon's CSV format.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, del, post, put } from '../../api';
import { ErrorBox, Loading } from '../../ui/common';
import { ConfirmButton, Day, MoreButton, Saved, useAction, usePagedItems } from '../settings/shared';

/** Mastodon's Admin::DomainBlock (internal/mastoapi/domain_blocks.go). */
interface DomainBlock {
  id: string;
  domain: string;
  created_at: string;
  severity: Severity;
  reject_media: boolean;
  reject_reports: boolean;
  private_comment: string | null;
  public_comment: string | null;
  obfuscate: boolean;
}

type Severity = 'silence' | 'suspend' | 'noop';

const severities: [Severity, string][] = [
  ['suspend', 'Suspend: refuse everything from the domain'],
  ['silence', 'Limit: hide its posts from public timelines'],
  ['noop', 'None: only the options below'],
];

interface BlockForm {
  domain: string;
  severity: Severity;
  reject_media: boolean;
  reject_reports: boolean;
  obfuscate: boolean;
  private_comment: string;
  public_comment: string;
}

const emptyForm: BlockForm = {
  domain: '',
  severity: 'suspend',
  reject_media: false,
  reject_reports: false,
  obfuscate: false,
  private_comment: '',
  public_comment: '',
};

function formOf(b: DomainBlock): BlockForm {
  return { ...b, private_comment: b.private_comment ?? '', public_comment: b.public_comment ?? '' };
}

const sameBlock = (a: DomainBlock, b: DomainBlock) => a.id === b.id;
const asIs = (b: DomainBlock) => b;

export function AdminDomainBlocks() {
  const pages = usePagedItems('/api/v1/admin/domain_blocks', 100, asIs, sameBlock);
  const { items: blocks, setItems: setBlocks, first: list, more } = pages;
  const [editing, setEditing] = useState<string | null>(null);
  const row = useAction();

  const remove = (b: DomainBlock) =>
    row.run(async () => {
      await del('/api/v1/admin/domain_blocks/' + b.id);
      setBlocks((l) => l.filter((x) => x.id !== b.id));
    }, `Removed the block of ${b.domain}.`);
  const saved = (b: DomainBlock) => {
    setBlocks((l) => (l.some((x) => x.id === b.id) ? l.map((x) => (x.id === b.id ? b : x)) : [b, ...l]));
    setEditing(null);
  };

  return (
    <>
      <section aria-labelledby="dblock-new-h">
        <h2 id="dblock-new-h">Block a domain</h2>
        <BlockEditor idPrefix="dblock" initial={emptyForm} onSaved={saved} />
      </section>
      <Import onDone={list.reload} />
      <section aria-labelledby="dblock-list-h">
        <h2 id="dblock-list-h">Blocked domains</h2>
        {list.error ? <ErrorBox error={list.error} onRetry={list.reload} /> : null}
        {list.loading && !blocks.length && <Loading />}
        {!list.loading && !list.error && blocks.length === 0 && <p class="empty">No domain is blocked.</p>}
        <ul class="plain-list dblocks" aria-label="Blocked domains">
          {blocks.map((b) => (
            <li key={b.id} class="card">
              <div class="row">
                <strong>{b.domain}</strong>
                <span class="badge">{b.severity}</span>
                {b.reject_media && <span class="badge">no media</span>}
                {b.reject_reports && <span class="badge">no reports</span>}
                {b.obfuscate && <span class="badge">name hidden</span>}
                <span class="muted small">
                  since <Day iso={b.created_at} />
                </span>
              </div>
              {b.public_comment && <p class="small">Public reason: {b.public_comment}</p>}
              {b.private_comment && <p class="small muted">Note: {b.private_comment}</p>}
              {editing === b.id ? (
                <BlockEditor idPrefix={'dblock-' + b.id} initial={formOf(b)} id={b.id} onSaved={saved} onCancel={() => setEditing(null)} />
              ) : (
                <div class="row">
                  <button type="button" onClick={() => setEditing(b.id)} aria-label={`Edit the block of ${b.domain}`}>
                    Edit
                  </button>
                  <ConfirmButton
                    label="Remove"
                    name={`Remove the block of ${b.domain}`}
                    question={`Unblock ${b.domain}?`}
                    confirm="Yes, remove"
                    onConfirm={() => remove(b)}
                    busy={row.busy}
                    danger
                  />
                </div>
              )}
            </li>
          ))}
        </ul>
        <MoreButton list={pages} />
        <ErrorBox error={row.error ?? more.error} />
        {row.done && <Saved message={row.done} />}
      </section>
    </>
  );
}

interface EditorProps {
  idPrefix: string;
  initial: BlockForm;
  id?: string; // editing an existing block
  onSaved: (b: DomainBlock) => void;
  onCancel?: () => void;
}

function BlockEditor({ idPrefix: p, initial, id, onSaved, onCancel }: EditorProps) {
  const [f, setF] = useState<BlockForm>(initial);
  const act = useAction();
  const first = useRef<HTMLSelectElement>(null);
  // Opening an edit moves the keyboard focus into it.
  useEffect(() => {
    if (id) first.current?.focus();
  }, [id]);
  const set = (x: Partial<BlockForm>) => setF((o) => ({ ...o, ...x }));
  const submit = async (e: Event) => {
    e.preventDefault();
    const body = { ...f, domain: f.domain.trim() };
    const b = await act.run(
      () => (id ? put<DomainBlock>('/api/v1/admin/domain_blocks/' + id, body) : post<DomainBlock>('/api/v1/admin/domain_blocks', body)),
      id ? `Saved the block of ${body.domain}.` : `Blocked ${body.domain}.`,
    );
    if (!b) return;
    onSaved(b);
    if (!id) setF(emptyForm);
  };
  return (
    <form class="form" onSubmit={submit} aria-label={id ? 'Edit the block of ' + initial.domain : 'Block a domain'}>
      {!id && (
        <>
          <label for={p + '-domain'}>Domain</label>
          <input id={p + '-domain'} required placeholder="bad.example" value={f.domain} onInput={(e) => set({ domain: e.currentTarget.value })} />
        </>
      )}
      <label for={p + '-severity'}>Severity</label>
      <select ref={first} id={p + '-severity'} value={f.severity} onChange={(e) => set({ severity: e.currentTarget.value as Severity })}>
        {severities.map(([v, label]) => (
          <option key={v} value={v}>
            {label}
          </option>
        ))}
      </select>
      <label class="check">
        <input id={p + '-reject-media'} type="checkbox" checked={f.reject_media} onChange={(e) => set({ reject_media: e.currentTarget.checked })} />
        <span>Reject media files</span>
      </label>
      <label class="check">
        <input id={p + '-reject-reports'} type="checkbox" checked={f.reject_reports} onChange={(e) => set({ reject_reports: e.currentTarget.checked })} />
        <span>Reject reports from this domain</span>
      </label>
      <label class="check">
        <input id={p + '-obfuscate'} type="checkbox" checked={f.obfuscate} onChange={(e) => set({ obfuscate: e.currentTarget.checked })} />
        <span>Hide the domain's name in the public list of blocks</span>
      </label>
      <label for={p + '-public-comment'}>Public reason</label>
      <input id={p + '-public-comment'} value={f.public_comment} onInput={(e) => set({ public_comment: e.currentTarget.value })} />
      <label for={p + '-private-comment'}>Private note for staff</label>
      <input id={p + '-private-comment'} value={f.private_comment} onInput={(e) => set({ private_comment: e.currentTarget.value })} />
      <ErrorBox error={act.error} />
      {act.done && <Saved message={act.done} />}
      <div class="row">
        <button type="submit" class="primary" disabled={act.busy}>
          {id ? 'Save block' : 'Block domain'}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

/** POST /api/v1/admin/domain_blocks/import's answer. */
interface ImportResult {
  imported: number;
  skipped: number;
  errors: string[];
}

function Import({ onDone }: { onDone: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const act = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!file) return;
    setResult(null);
    // All or nothing: a bad row refuses the file with a message naming its line.
    const r = await act.run(async () => api<ImportResult>('POST', '/api/v1/admin/domain_blocks/import', { body: await file.text(), contentType: 'text/csv' }));
    if (!r) return;
    setResult(r);
    onDone();
  };
  return (
    <section aria-labelledby="dblock-import-h">
      <h2 id="dblock-import-h">Import a blocklist</h2>
      <p>
        A CSV file in Mastodon's export format: a header line (#domain, #severity, #reject_media, #reject_reports, #public_comment,
        #obfuscate) and one domain per line. Domains blocked already are skipped.
      </p>
      <form class="form" onSubmit={submit} aria-label="Import a blocklist">
        <label for="dblock-import-file">Blocklist file (CSV)</label>
        <input id="dblock-import-file" type="file" accept=".csv,text/csv" required onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
        <ErrorBox error={act.error} />
        {result && (
          <div role="status" class="import-result">
            <p>
              Imported {result.imported}, skipped {result.skipped}
              {result.errors?.length ? `, ${result.errors.length} ${result.errors.length === 1 ? 'error' : 'errors'}` : ''}.
            </p>
            {result.errors?.length > 0 && (
              <ul class="danger">
                {result.errors.map((x, i) => (
                  <li key={i}>{x}</li>
                ))}
              </ul>
            )}
          </div>
        )}
        <div class="row">
          <button id="dblock-import-submit" type="submit" disabled={act.busy || !file}>
            {act.busy ? 'Importing…' : 'Import'}
          </button>
        </div>
      </form>
    </section>
  );
}
