/**
 * The one way the web app talks to the server. Errors arrive as `ApiError` carrying the server's code,
 * message and field issues, so forms can put each message next to its field.
 */

export interface FieldIssue {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly issues: FieldIssue[];

  constructor(status: number, code: string, message: string, issues: FieldIssue[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.issues = issues;
  }
}

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

/** The session (see features/identity/session.tsx) hands its token here so that every write carries it. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when any request other than signing in finds the session gone. */
export function whenUnauthenticated(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

// Endpoints where a 401 is an answer, not a lost session.
const answersWith401 = ['/api/auth/sign-in', '/api/auth/session'];

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
}

declare global {
  interface Window {
    /** GET requests index.html started before the app's code loaded, by path; each is taken up once (one held for
     * the session's answer may end in none: the user's roles do not ask it). */
    clearhouseEarly?: Record<string, Promise<Response | undefined> | undefined>;
  }
}

/**
 * The answer to a GET that index.html already asked for, once; later calls ask the server again. An answer is
 * taken as the page's own (a 404 is as much an answer then as later), except a 401 (the session's excepted,
 * whose 401 is an answer), a server's failure or none: one asked for before signing in, or that failed, is asked
 * again, so that an early request never decides more than its timing.
 */
async function early(path: string): Promise<Response | undefined> {
  const started = window.clearhouseEarly?.[path];
  if (!started) return undefined;
  if (window.clearhouseEarly) delete window.clearhouseEarly[path];
  const response = await started.catch(() => undefined);
  if (!response || response.status >= 500) return undefined;
  return response.status !== 401 || answersWith401.includes(path) ? response : undefined;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) {
    body = options.body;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    const started = method === 'GET' && body === undefined ? await early(path) : undefined;
    response = await (started ??
      fetch(path, {
        method,
        headers,
        body,
        credentials: 'same-origin',
        ...(options.signal ? { signal: options.signal } : {}),
      }));
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(
      0,
      'unavailable',
      'Clearhouse cannot be reached. Check your connection and try again.',
    );
  }

  if (response.status === 401 && !answersWith401.includes(path)) onUnauthenticated?.();
  if (!response.ok) throw await errorFrom(response);
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  return (type.includes('json') ? await response.json() : await response.text()) as T;
}

async function errorFrom(response: Response): Promise<ApiError> {
  const fallback = `The server answered ${response.status} ${response.statusText}.`.replace(' .', '.');
  try {
    const body = (await response.json()) as {
      error?: { code?: string; message?: string; issues?: FieldIssue[] };
    };
    const error = body.error;
    return new ApiError(
      response.status,
      error?.code ?? 'internal',
      error?.message ?? fallback,
      Array.isArray(error?.issues) ? error.issues : [],
    );
  } catch {
    return new ApiError(response.status, response.status >= 500 ? 'internal' : 'bad_request', fallback);
  }
}

/** The server's field issues keyed by field, for a form's `error` props. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const byField: Record<string, string> = {};
  // The server words issues to follow the field's name ("must be …"); under the field they start a sentence.
  for (const issue of error.issues) {
    byField[issue.field] ??= issue.message.charAt(0).toUpperCase() + issue.message.slice(1);
  }
  return byField;
}

/** The message to show above a form: the server's own unless every issue already sits on a visible field. */
export function formMessage(error: unknown, visibleFields: readonly string[]): string | null {
  if (!error) return null;
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : 'Something went wrong.';
  if (error.issues.length > 0 && error.issues.every((issue) => visibleFields.includes(issue.field))) {
    return 'Some fields need attention.';
  }
  return error.message;
}

/** Posts `body` and saves the file the server answers with under the name it gives (exports). */
export async function downloadPosted(path: string, body: unknown): Promise<string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(path, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (response.status === 401) onUnauthenticated?.();
  if (!response.ok) throw await errorFrom(response);
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'export';
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
