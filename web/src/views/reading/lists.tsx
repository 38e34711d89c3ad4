// Lists of posts: bookmarks, favourites and a hashtag's timeline.
import { useCallback } from 'preact/hooks';
import { page } from '../../api';
import { useApp } from '../../state';
import type { Status as StatusT } from '../../types';
import { PageTitle } from '../../ui/common';
import { PagedList } from '../../ui/list';
import { Status } from '../../ui/status';

interface Props {
  title: string;
  path: string;
  empty: string;
  poll?: number;
}

export function StatusList({ title, path, empty, poll }: Props) {
  const { me } = useApp();
  const load = useCallback(
    (q: { max_id?: string; min_id?: string }, signal: AbortSignal) => page<StatusT>(path, { ...q, limit: 20 }, signal),
    [path],
  );
  return (
    <>
      <PageTitle title={title}>{title}</PageTitle>
      <PagedList<StatusT>
        label={title}
        load={load}
        poll={poll}
        empty={empty}
        render={(s, update, remove) => <Status status={s} me={me?.id} onChange={update} onDelete={remove} />}
      />
    </>
  );
}

export const Bookmarks = () => <StatusList title="Bookmarks" path="/api/v1/bookmarks" empty="You have no bookmarks. Bookmark a post to find it here." />;

export const Favourites = () => <StatusList title="Favourites" path="/api/v1/favourites" empty="You have not favourited any post yet." />;

export function TagTimeline({ tag }: { tag: string }) {
  const name = tag.replace(/^[#＃]/, '');
  return <StatusList title={'#' + name} path={'/api/v1/timelines/tag/' + encodeURIComponent(name)} poll={30} empty={`No posts with #${name} yet.`} />;
}
