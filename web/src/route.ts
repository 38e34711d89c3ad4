// A view's place in the app: its address pattern and how it renders.
import type { ComponentChildren } from 'preact';

export interface Route {
  /** A pattern for router.match, e.g. "/web/statuses/:id". */
  path: string;
  /** Renders the view from the pattern's parameters and the query. */
  view: (params: Record<string, string>, query: URLSearchParams) => ComponentChildren;
  /** Whether the view works without signing in (default: it needs a session). */
  public?: boolean;
}
