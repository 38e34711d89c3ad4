// Routes of the reading views: threads, profiles, notifications, follow
// requests, bookmarks, favourites, search and hashtags.
import type { Route } from '../route';
import { Bookmarks, Favourites, TagTimeline } from './reading/lists';
import { FollowRequests, Notifications } from './reading/notifications';
import { Profile } from './reading/profile';
import { Search } from './reading/search';
import { Thread } from './reading/thread';

export const readingRoutes: Route[] = [
  { path: '/web/statuses/:id', view: (p, q) => <Thread id={p.id} reply={q.get('reply') === '1'} /> },
  { path: '/web/@:acct', view: (p) => <Profile acct={p.acct} tab="posts" /> },
  { path: '/web/@:acct/following', view: (p) => <Profile acct={p.acct} tab="following" /> },
  { path: '/web/@:acct/followers', view: (p) => <Profile acct={p.acct} tab="followers" /> },
  { path: '/web/notifications', view: () => <Notifications /> },
  { path: '/web/follow_requests', view: () => <FollowRequests /> },
  { path: '/web/bookmarks', view: () => <Bookmarks /> },
  { path: '/web/favourites', view: () => <Favourites /> },
  { path: '/web/search', view: (_, q) => <Search q={q.get('q') ?? ''} /> },
  { path: '/web/tags/:tag', view: (p) => <TagTimeline tag={p.tag} /> },
];
