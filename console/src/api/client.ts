import { ApiError } from './api-error';

/** Query parameters; empty and undefined values are left out. */
export type Query = Record<string, string | number | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Extra headers, e.g. the one-time Basic `Authorization` of the sign-in. */
  headers?: Record<string, string>;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The session's CSRF token. The JSESSIONID cookie is HttpOnly (the browser sends it; scripts never see it);
 * every authenticated GET answers the token in `X-CSRF-TOKEN`, and writes must echo it (api-guide.md).
 */
let csrfToken: string | undefined;
const unauthenticatedListeners = new Set<() => void>();

/** Called when an answer says the session is gone (401), so the shell can return to the sign-in page. */
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

export function forgetCsrfToken(): void {
  csrfToken = undefined;
}

/** `/api/v2/…` with the query string, relative to this origin. */
export function apiUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/** One JSON request to the API; resolves with the envelope, rejects with an ApiError carrying its message. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    // Tells RWS to answer 401 without a Basic challenge: no browser password dialog over the console.
    'X-Requested-With': 'XMLHttpRequest',
    ...options.headers,
  };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (UNSAFE.has(method) && csrfToken) headers['X-CSRF-TOKEN'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError('The server cannot be reached.', 0);
  }
  const token = response.headers.get('X-CSRF-TOKEN');
  if (token) csrfToken = token;
  const envelope = await readJson(response);
  if (!response.ok || (typeof envelope?.statusCode === 'number' && envelope.statusCode !== 0)) {
    const error = new ApiError(errorMessage(response, envelope), response.status, envelope?.statusCode as number | undefined);
    if (error.unauthenticated && !options.headers?.Authorization) unauthenticatedListeners.forEach((listener) => listener());
    throw error;
  }
  return envelope as T;
}

async function readJson(response: Response): Promise<Record<string, unknown> | undefined> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function errorMessage(response: Response, envelope: Record<string, unknown> | undefined): string {
  if (typeof envelope?.statusMessage === 'string' && envelope.statusMessage) return envelope.statusMessage;
  return `The server answered ${response.status} ${response.statusText}`.trim() + '.';
}

/** Shorthands; extend an endpoint family in a module of its own (see recordings.ts) rather than here. */
export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, { query }),
  post: <T>(path: string, body?: unknown, query?: Query) => request<T>('POST', path, { body: body ?? {}, query }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body: body ?? {} }),
  delete: <T>(path: string, query?: Query) => request<T>('DELETE', path, { query }),
};
