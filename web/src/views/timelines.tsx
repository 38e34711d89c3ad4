// Home, local and federated timelines.
import { useCallback, useState } from 'preact/hooks';
import { page } from '../api';
import { useApp } from '../state';
import type { Status as StatusT } from '../types';
import { PageTitle } from '../ui/common';
import { Compose } from '../ui/compose';
import { PagedList } from '../ui/list';
import { Status } from '../ui/status';

type Kind = 'home' | 'local' | 'federated';

const titles: Record<Kind, string> = { home: 'Home', local: 'Local timeline', federated: 'Federated timeline' };

export function Timeline({ kind }: { kind: Kind }) {
  const { me } = useApp();
  const [mine, setMine] = useState<StatusT[]>([]);
  const load = useCallback(
    (q: { max_id?: string; min_id?: string }, signal: AbortSignal) =>
      kind === 'home'
        ? page<StatusT>('/api/v1/timelines/home', { ...q, limit: 20 }, signal)
        : page<StatusT>('/api/v1/timelines/public', { ...q, limit: 20, local: kind === 'local' || undefined }, signal),
    [kind],
  );
  return (
    <>
      <PageTitle title={titles[kind]}>{titles[kind]}</PageTitle>
      {kind === 'home' && <Compose onPosted={(s) => setMine([s])} />}
      <PagedList<StatusT>
        label={titles[kind]}
        load={load}
        poll={20}
        pageSize={20}
        prepend={mine}
        empty={kind === 'home' ? 'Your home timeline is empty. Follow people to see their posts here.' : 'No posts yet.'}
        render={(s, update, remove) => <Status status={s} me={me?.id} onChange={update} onDelete={remove} />}
      />
    </>
  );
}
