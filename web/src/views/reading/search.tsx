// Search for accounts (a remote user@domain is fetched from its server),
// hashtags and posts. The query lives in the address (?q=), so a search
// can be linked to and the back button returns to it.
import { useEffect, useState } from 'preact/hooks';
import { get } from '../../api';
import { Link, navigate } from '../../router';
import { useApp } from '../../state';
import type { Account, Status as StatusT } from '../../types';
import { AccountCard } from '../../ui/account';
import { ErrorBox, Loading, PageTitle } from '../../ui/common';
import { Status } from '../../ui/status';

interface Results {
  accounts: Account[];
  hashtags: { name: string }[];
  statuses: StatusT[];
}

export function Search({ q }: { q: string }) {
  const { me } = useApp();
  const [text, setText] = useState(q);
  const [results, setResults] = useState<Results | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => setText(q), [q]);

  useEffect(() => {
    setResults(null);
    setError(null);
    if (!q.trim()) return;
    const ac = new AbortController();
    setBusy(true);
    get<Results>('/api/v2/search', { q: q.trim(), resolve: true, limit: 20 }, ac.signal)
      .then(setResults)
      .catch((e) => (e as Error).name !== 'AbortError' && setError(e))
      .finally(() => !ac.signal.aborted && setBusy(false));
    return () => ac.abort();
  }, [q, attempt]);

  const submit = (e: Event) => {
    e.preventDefault();
    const t = text.trim();
    if (!t) return;
    if (t === q.trim()) setAttempt((n) => n + 1);
    else navigate('/web/search?q=' + encodeURIComponent(t));
  };
  const update = (s: StatusT) => setResults((r) => r && { ...r, statuses: r.statuses.map((x) => (x.id === s.id ? s : x)) });
  const remove = (id: string) => setResults((r) => r && { ...r, statuses: r.statuses.filter((x) => x.id !== id) });

  return (
    <>
      <PageTitle title={q ? `Search: ${q}` : 'Search'}>Search</PageTitle>
      <form class="search-form" role="search" onSubmit={submit}>
        <label for="search-q">Search</label>
        <div class="row">
          <input
            id="search-q"
            type="search"
            value={text}
            placeholder="name, user@server or #hashtag"
            aria-describedby="search-hint"
            onInput={(e) => setText(e.currentTarget.value)}
          />
          <button type="submit" class="primary" id="search-submit" disabled={busy}>
            Search
          </button>
        </div>
        <p class="hint" id="search-hint">
          Find people by name or by their full address (user@server), hashtags, and posts.
        </p>
      </form>
      <ErrorBox error={error} onRetry={() => setAttempt((n) => n + 1)} />
      {busy && <Loading label="Searching" />}
      {results && <ResultList r={results} me={me?.id} onChange={update} onDelete={remove} />}
    </>
  );
}

interface ResultProps {
  r: Results;
  me?: string;
  onChange: (s: StatusT) => void;
  onDelete: (id: string) => void;
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

function ResultList({ r, me, onChange, onDelete }: ResultProps) {
  const none = r.accounts.length + r.hashtags.length + r.statuses.length === 0;
  return (
    <div class="search-results">
      <div role="status">
        {none ? (
          <p class="empty">Nothing found.</p>
        ) : (
          <p class="visually-hidden">
            Found {count(r.accounts.length, 'account')}, {count(r.hashtags.length, 'hashtag')} and {count(r.statuses.length, 'post')}.
          </p>
        )}
      </div>
      {r.accounts.length > 0 && (
        <section aria-labelledby="search-accounts">
          <h2 id="search-accounts">Accounts</h2>
          <div class="list">
            {r.accounts.map((a) => (
              <div key={a.id} class="list-item">
                <AccountCard account={a} />
              </div>
            ))}
          </div>
        </section>
      )}
      {r.hashtags.length > 0 && (
        <section aria-labelledby="search-hashtags">
          <h2 id="search-hashtags">Hashtags</h2>
          <ul class="hashtags">
            {r.hashtags.map((t) => (
              <li key={t.name}>
                <Link href={'/web/tags/' + encodeURIComponent(t.name)}>#{t.name}</Link>
              </li>
            ))}
          </ul>
        </section>
      )}
      {r.statuses.length > 0 && (
        <section aria-labelledby="search-statuses">
          <h2 id="search-statuses">Posts</h2>
          <div class="list">
            {r.statuses.map((s) => (
              <div key={s.id} class="list-item">
                <Status status={s} me={me} onChange={onChange} onDelete={onDelete} />
              </div>
            ))}
          </div>
        </section>
      )}
    </div>
  );
}
