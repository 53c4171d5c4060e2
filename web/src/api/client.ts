// One fetch wrapper for the whole console: cookies ride along, non-GET requests carry the CSRF
// token the server set in the readable `renmai_csrf` cookie, and problem+json errors become ApiError.

export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors: FieldError[] | undefined;
  /** Other members of the problem document, e.g. `contactId` on an identity conflict. */
  readonly extra: Record<string, unknown>;

  constructor(status: number, code: string, detail: string, errors?: FieldError[], extra: Record<string, unknown> = {}) {
    super(detail || code);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.errors = errors;
    this.extra = extra;
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

type Query = Record<string, string | number | undefined | null>;

interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** A 401 is an answer the caller handles (login form, "who am I?") instead of a redirect. */
  expect401?: boolean;
}

const BASE = '/api/v1';
let onUnauthorized: () => void = () => {};

/** The app decides what "signed out" means (clear the cache, go to /login). */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export function readCookie(name: string): string | undefined {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

export function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return `${BASE}${path}${qs ? `?${qs}` : ''}`;
}

async function toApiError(res: Response): Promise<ApiError> {
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body = (await res.json()) as { code?: string; detail?: string; title?: string; errors?: FieldError[] } & Record<string, unknown>;
      return new ApiError(res.status, body.code ?? 'error', body.detail ?? body.title ?? res.statusText, body.errors, body);
    } catch {
      // fall through to a plain error
    }
  }
  return new ApiError(res.status, res.status >= 500 ? 'internal' : 'error', res.statusText);
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') {
    const csrf = readCookie('renmai_csrf');
    if (csrf) headers['X-CSRF-Token'] = csrf;
  }
  let res: Response;
  try {
    res = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'include',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, 'network', 'Network error');
  }
  if (!res.ok) {
    const error = await toApiError(res);
    if (error.status === 401 && !options.expect401) onUnauthorized();
    throw error;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, query?: Query, opts?: Omit<RequestOptions, 'query' | 'body'>) => request<T>('GET', path, { ...opts, query }),
  post: <T>(path: string, body?: unknown, opts?: Omit<RequestOptions, 'body'>) => request<T>('POST', path, { ...opts, body: body ?? {} }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  delete: <T = void>(path: string) => request<T>('DELETE', path),
};

/** Lists that the UI needs whole (teams, roles, member pickers): follow the cursor to the end. */
export async function fetchAll<T>(path: string, query: Query = {}, maxPages = 50): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < maxPages; i++) {
    const page: Page<T> = await api.get<Page<T>>(path, { ...query, limit: 100, cursor });
    items.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return items;
}
