// The web client's only way to the server: the Mastodon API and Roost's
// own endpoints, on the same origin, with the signed-in user's token.
import { session, expireSession } from './auth';

/** An error the server answered with: its status and its own message. */
export class ApiError extends Error {
  constructor(public status: number, message: string, public details?: unknown) {
    super(message);
  }
}

/** A page of a list, with the max_id / min_id of the pages around it (Link header). */
export interface Page<T> {
  items: T[];
  next?: string; // max_id of the older page
  prev?: string; // min_id of the newer page
}

type Query = Record<string, string | number | boolean | undefined | null | string[]>;

export function withQuery(path: string, q?: Query): string {
  if (!q) return path;
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) v.forEach((x) => p.append(k + '[]', x));
    else p.set(k, String(v));
  }
  const s = p.toString();
  return s ? path + (path.includes('?') ? '&' : '?') + s : path;
}

export interface RequestOptions {
  query?: Query;
  body?: unknown; // JSON unless FormData, Blob or string
  token?: string | null; // overrides the session's token; null sends none
  signal?: AbortSignal;
  contentType?: string;
}

async function send(method: string, path: string, o: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = o.token === undefined ? session()?.token : o.token;
  if (token) headers.Authorization = 'Bearer ' + token;
  let body: BodyInit | undefined;
  if (o.body instanceof FormData || o.body instanceof Blob) body = o.body;
  else if (typeof o.body === 'string') {
    body = o.body;
    headers['Content-Type'] = o.contentType ?? 'text/plain';
  } else if (o.body !== undefined) {
    body = JSON.stringify(o.body);
    headers['Content-Type'] = 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(withQuery(path, o.query), { method, headers, body, signal: o.signal, credentials: 'omit' });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'The server could not be reached. Check your connection and try again.');
  }
  if (res.ok) return res;
  let msg = res.statusText || 'Request failed';
  let details: unknown;
  try {
    const j = await res.json();
    if (j && typeof j.error === 'string') msg = j.error;
    details = j?.details;
  } catch {
    /* not JSON: keep the status text */
  }
  if (res.status === 401 && token && o.token === undefined) expireSession();
  throw new ApiError(res.status, msg, details);
}

/** Calls the API and decodes its JSON answer. */
export async function api<T>(method: string, path: string, o?: RequestOptions): Promise<T> {
  const res = await send(method, path, o);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const get = <T>(path: string, query?: Query, signal?: AbortSignal) => api<T>('GET', path, { query, signal });
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, { body });
export const put = <T>(path: string, body?: unknown) => api<T>('PUT', path, { body });
export const patch = <T>(path: string, body?: unknown) => api<T>('PATCH', path, { body });
export const del = <T>(path: string, body?: unknown) => api<T>('DELETE', path, { body });

/** Fetches a page of a paginated list, reading the Link header for the pages around it. */
export async function page<T>(path: string, query?: Query, signal?: AbortSignal): Promise<Page<T>> {
  const res = await send('GET', path, { query, signal });
  const items = (await res.json()) as T[];
  const out: Page<T> = { items };
  const link = res.headers.get('Link') || '';
  for (const part of link.split(',')) {
    const m = part.match(/<([^>]+)>;\s*rel="(next|prev)"/);
    if (!m) continue;
    const u = new URL(m[1], location.origin);
    if (m[2] === 'next') out.next = u.searchParams.get('max_id') ?? undefined;
    else out.prev = u.searchParams.get('min_id') ?? u.searchParams.get('since_id') ?? undefined;
  }
  return out;
}

/** Fetches a file (an export) with the token and hands it to the browser as a download. */
export async function download(path: string, filename: string): Promise<void> {
  const res = await send('GET', path);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
