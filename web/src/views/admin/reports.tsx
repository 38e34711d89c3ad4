// Reports: the open (or resolved) ones, and one report in full with the
// reported posts, to resolve, reopen, or suspend the reported account.
import { useCallback, useState } from 'preact/hooks';
import { get, page, post } from '../../api';
import { Link } from '../../router';
import type { Status } from '../../types';
import { AccountName, Ago, ErrorBox, Html, Loading } from '../../ui/common';
import { PagedList } from '../../ui/list';
import { ConfirmButton, Day, Saved, useAction, useLoad } from '../settings/shared';
import type { AdminAccount } from './accounts';

/** Mastodon's Admin::Report (internal/mastoapi/reports.go). */
interface AdminReport {
  id: string;
  action_taken: boolean;
  action_taken_at: string | null;
  category: string;
  comment: string;
  forwarded: boolean;
  created_at: string;
  updated_at: string;
  account: AdminAccount;
  target_account: AdminAccount;
  action_taken_by_account: AdminAccount | null;
  statuses: Status[];
  rules: { id: string; text: string }[];
}

const categories: Record<string, string> = { spam: 'Spam', legal: 'Illegal content', violation: 'Rule violation', other: 'Other' };

export function AdminReports() {
  const [resolved, setResolved] = useState(false);
  const load = useCallback(
    (q: { max_id?: string; min_id?: string }, signal: AbortSignal) => page<AdminReport>('/api/v1/admin/reports', { ...q, limit: 40, resolved: resolved || undefined }, signal),
    [resolved],
  );
  return (
    <section aria-labelledby="admin-reports-h">
      <h2 id="admin-reports-h">Reports</h2>
      <div class="row filters" role="group" aria-label="Show reports">
        <button type="button" aria-pressed={!resolved} onClick={() => setResolved(false)}>
          Open
        </button>
        <button type="button" aria-pressed={resolved} onClick={() => setResolved(true)}>
          Resolved
        </button>
      </div>
      <PagedList<AdminReport>
        label={resolved ? 'Resolved reports' : 'Open reports'}
        load={load}
        empty={resolved ? 'No resolved reports.' : 'No open reports.'}
        render={(r) => <ReportSummary report={r} />}
      />
    </section>
  );
}

function ReportSummary({ report: r }: { report: AdminReport }) {
  return (
    <article class="card report" aria-label={'Report ' + r.id}>
      <div class="row">
        <Link href={'/web/admin/reports/' + r.id}>Report {r.id}</Link>
        <span class="badge">{categories[r.category] ?? r.category}</span>
        {r.action_taken && <span class="badge">Resolved</span>}
        <span class="muted small">
          <Ago iso={r.created_at} />
        </span>
      </div>
      <p class="small">
        <AccountName account={r.account.account} /> reported <AccountName account={r.target_account.account} />
        {r.statuses.length > 0 && ` (${r.statuses.length} ${r.statuses.length === 1 ? 'post' : 'posts'})`}
      </p>
      {r.comment && <blockquote class="comment">{r.comment}</blockquote>}
    </article>
  );
}

export function AdminReport({ id }: { id: string }) {
  const rep = useLoad((signal) => get<AdminReport>('/api/v1/admin/reports/' + encodeURIComponent(id), undefined, signal), [id]);
  const act = useAction();
  if (rep.error) return <ErrorBox error={rep.error} onRetry={rep.reload} />;
  const r = rep.data;
  if (!r) return <Loading />;
  const target = '@' + r.target_account.account.acct;

  const resolve = (yes: boolean) =>
    act.run(async () => rep.setData(await post<AdminReport>(`/api/v1/admin/reports/${r.id}/${yes ? 'resolve' : 'reopen'}`)), yes ? 'Report resolved.' : 'Report reopened.');
  const suspend = () =>
    act.run(async () => {
      await post(`/api/v1/admin/accounts/${r.target_account.id}/action`, { type: 'suspend', report_id: r.id });
      rep.setData(await get<AdminReport>('/api/v1/admin/reports/' + r.id));
    }, `Suspended ${target}.`);

  return (
    <section aria-labelledby="report-h" class="report-detail">
      <h2 id="report-h">Report {r.id}</h2>
      <p>
        <Link href="/web/admin/reports">Back to reports</Link>
      </p>
      <dl class="facts">
        <dt>Filed</dt>
        <dd>
          <Day iso={r.created_at} /> by <AccountName account={r.account.account} />
        </dd>
        <dt>About</dt>
        <dd>
          <AccountName account={r.target_account.account} />
          {r.target_account.suspended && <span class="badge danger">Suspended</span>}
        </dd>
        <dt>Category</dt>
        <dd>{categories[r.category] ?? r.category}</dd>
        <dt>State</dt>
        <dd>
          {r.action_taken ? (
            <>
              Resolved <Day iso={r.action_taken_at} />
              {r.action_taken_by_account && (
                <>
                  {' '}
                  by <AccountName account={r.action_taken_by_account.account} />
                </>
              )}
            </>
          ) : (
            'Open'
          )}
        </dd>
        {r.forwarded && (
          <>
            <dt>Forwarded</dt>
            <dd>From another server</dd>
          </>
        )}
      </dl>
      {r.comment && (
        <>
          <h3>Comment</h3>
          <blockquote class="comment">{r.comment}</blockquote>
        </>
      )}
      {r.rules.length > 0 && (
        <>
          <h3>Rules broken</h3>
          <ul>
            {r.rules.map((x) => (
              <li key={x.id}>{x.text}</li>
            ))}
          </ul>
        </>
      )}
      <h3>Reported posts</h3>
      {r.statuses.length === 0 && <p class="empty">No posts were attached.</p>}
      {r.statuses.map((s) => (
        <article key={s.id} class="card reported-status" aria-label={'Post ' + s.id}>
          <div class="muted small">
            <Ago iso={s.created_at} /> · {s.visibility}
          </div>
          {s.spoiler_text && <p class="spoiler">CW: {s.spoiler_text}</p>}
          <Html class="content" html={s.content} />
        </article>
      ))}
      <div class="row actions-bar">
        {r.action_taken ? (
          <button type="button" onClick={() => resolve(false)} disabled={act.busy}>
            Reopen
          </button>
        ) : (
          <button type="button" class="primary" onClick={() => resolve(true)} disabled={act.busy}>
            Resolve
          </button>
        )}
        {!r.target_account.suspended && (
          <ConfirmButton
            label={`Suspend ${target}`}
            question={`Suspend ${target}? This resolves the report.`}
            confirm="Yes, suspend"
            onConfirm={suspend}
            busy={act.busy}
            danger
          />
        )}
      </div>
      <ErrorBox error={act.error} />
      {act.done && <Saved message={act.done} />}
    </section>
  );
}
