// Export: the archive of everything the account wrote (built in the
// background, with progress), the CSV lists, and the inventory of what the
// server holds about the user. Downloads go through api.download, which
// sends the token in a header: it never appears in a URL.
import { useEffect } from 'preact/hooks';
import { download, get, post } from '../../api';
import { ErrorBox, Loading } from '../../ui/common';
import { Day, Saved, Section, bytes, useAction, useLoad } from './shared';

/** Roost's export entity (internal/mastoapi/exports.go). */
interface Export {
  id: string;
  state: 'pending' | 'running' | 'ready' | 'failed';
  progress: number;
  size: number;
  created_at: string;
  finished_at: string | null;
  expires_at: string;
  download_url: string | null;
}

/** GET /api/v1/roost/inventory (internal/mastoapi/inventory.go). */
interface Inventory {
  account: string;
  generated_at: string;
  items: {
    category: string;
    description: string;
    count: number | null;
    encrypted: boolean;
    encryption: string;
    readable_by: string[];
    max_age_days: number | null;
    expires: string;
  }[];
}

const csvs: [string, string][] = [
  ['following.csv', 'Accounts you follow'],
  ['blocks.csv', 'Accounts you block'],
  ['mutes.csv', 'Accounts you mute'],
  ['domain_blocks.csv', 'Domains you block'],
  ['lists.csv', 'Lists'],
];

const stateLabel: Record<Export['state'], string> = {
  pending: 'Waiting to start',
  running: 'Being prepared',
  ready: 'Ready',
  failed: 'Failed',
};

export function ExportSettings() {
  return (
    <>
      <Archives />
      <CSVs />
      <InventoryTable />
    </>
  );
}

function Archives() {
  const list = useLoad((signal) => get<Export[]>('/api/v1/roost/exports', undefined, signal));
  const req = useAction();
  const dl = useAction();
  const busy = (list.data ?? []).some((e) => e.state === 'pending' || e.state === 'running');

  // Poll while an archive is being built.
  useEffect(() => {
    if (!busy) return;
    const t = setTimeout(list.reload, 2000);
    return () => clearTimeout(t);
  }, [list.data]);

  const request = async () => {
    const e = await req.run(() => post<Export>('/api/v1/roost/exports'), 'Export requested. It is being prepared; this page updates as it goes.');
    if (e) list.setData([e, ...(list.data ?? []).filter((x) => x.id !== e.id)]);
  };

  return (
    <Section id="export-h" title="Export your data">
      <p>
        The archive holds your profile, your posts, your likes and bookmarks, and the lists below, in the layout Mastodon uses, so
        other servers can import it. It is kept for a few days, then deleted.
      </p>
      <div class="row">
        <button id="export-request" type="button" class="primary" onClick={request} disabled={req.busy || busy}>
          {busy ? 'An export is being prepared' : 'Request an export'}
        </button>
      </div>
      <ErrorBox error={req.error} />
      {req.done && <Saved message={req.done} />}
      {list.error ? <ErrorBox error={list.error} onRetry={list.reload} /> : null}
      {!list.data && !list.error && <Loading />}
      {list.data && list.data.length === 0 && <p class="empty">No exports yet.</p>}
      {list.data && list.data.length > 0 && (
        <ul class="exports" aria-label="Your exports">
          {list.data.map((e) => (
            <li key={e.id} class="card export" id={'export-' + e.id}>
              <div>
                Requested <Day iso={e.created_at} /> · <span class="export-state">{stateLabel[e.state] ?? e.state}</span>
                {e.state === 'ready' && <> · {bytes(e.size)} · deleted after <Day iso={e.expires_at} /></>}
              </div>
              {(e.state === 'pending' || e.state === 'running') && (
                <div role="status">
                  <progress max={100} value={e.progress} aria-label="Export progress">
                    {e.progress}%
                  </progress>{' '}
                  {e.progress}%
                </div>
              )}
              {e.state === 'failed' && <p class="danger">This export failed. Request a new one.</p>}
              {e.state === 'ready' && (
                <button type="button" class="export-download" onClick={() => dl.run(() => download(`/api/v1/roost/exports/${e.id}/download`, `roost-export-${e.id}.zip`))} disabled={dl.busy}>
                  Download archive
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <ErrorBox error={dl.error} />
    </Section>
  );
}

function CSVs() {
  const dl = useAction();
  return (
    <Section id="csv-h" title="Lists as CSV">
      <p>Each list is a CSV file that Mastodon and other servers can import.</p>
      <ul class="csv-list">
        {csvs.map(([file, label]) => (
          <li key={file}>
            <button type="button" onClick={() => dl.run(() => download('/api/v1/exports/' + file, file))} disabled={dl.busy} aria-label={`Download ${label} (${file})`}>
              {label} <span class="muted">({file})</span>
            </button>
          </li>
        ))}
      </ul>
      <ErrorBox error={dl.error} />
    </Section>
  );
}

function keptFor(it: Inventory['items'][number]): string {
  if (it.max_age_days == null) return it.expires || 'Until you delete it';
  const d = Math.round(it.max_age_days * 10) / 10;
  return `${d} ${d === 1 ? 'day' : 'days'}` + (it.expires ? ` (${it.expires})` : '');
}

function InventoryTable() {
  const inv = useLoad((signal) => get<Inventory>('/api/v1/roost/inventory', undefined, signal));
  return (
    <Section id="inventory-h" title="What this server holds about you">
      {inv.error ? <ErrorBox error={inv.error} onRetry={inv.reload} /> : null}
      {!inv.data && !inv.error && <Loading />}
      {inv.data && (
        <div class="table-wrap">
          <table class="inventory stack">
            <caption>
              Data held about @{inv.data.account}, as of <Day iso={inv.data.generated_at} />
            </caption>
            <thead>
              <tr>
                <th scope="col">Data</th>
                <th scope="col">Items</th>
                <th scope="col">Encrypted at rest</th>
                <th scope="col">Who can read it</th>
                <th scope="col">Kept for</th>
              </tr>
            </thead>
            <tbody>
              {inv.data.items.map((it) => (
                <tr key={it.category}>
                  <th scope="row">
                    {it.category}
                    <div class="muted small">{it.description}</div>
                  </th>
                  <td data-label="Items">{it.count ?? '—'}</td>
                  <td data-label="Encrypted at rest">{(it.encrypted ? 'Yes' : 'No') + (it.encryption ? ': ' + it.encryption : '')}</td>
                  <td data-label="Who can read it">{it.readable_by.join(', ')}</td>
                  <td data-label="Kept for">{keptFor(it)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
