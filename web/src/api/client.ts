// The one fetch wrapper: openapi-fetch typed from ./schema.ts (generated from openapi/openapi.json),
// same origin, the session cookie sent by the browser, and the session's CSRF token (from
// GET /v1/me) on every unsafe request. Failures become ApiProblem, with the problem+json fields.
import createClient, { type Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];

export interface FieldError {
  path: string;
  message: string;
}

/** An answer that was not 2xx: the problem+json (RFC 9457) the API sends, or what we know. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: FieldError[] = [],
    /** The problem document's other members (RFC 9457 extensions), e.g. a template's `problems`. */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
  }

  /** The message for one field (`body.email`), when the API named it. */
  fieldError(path: string): string | undefined {
    return this.errors.find((e) => e.path === path || e.path.startsWith(`${path}.`))?.message;
  }
}

let csrfToken: string | null = null;
/** Set from GET /v1/me once signed in; sent as X-CSRF-Token on POST, PUT, PATCH and DELETE. */
export const setCsrfToken = (token: string | null) => {
  csrfToken = token;
};

const csrf: Middleware = {
  onRequest({ request }) {
    if (csrfToken && !['GET', 'HEAD', 'OPTIONS'].includes(request.method)) request.headers.set('x-csrf-token', csrfToken);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin, credentials: 'same-origin' });
api.use(csrf);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

export function toProblem(status: number, body: unknown): ApiProblem {
  if (isRecord(body) && typeof body.code === 'string') {
    const errors = Array.isArray(body.errors) ? body.errors.filter(isRecord).map((e) => ({ path: String(e.path ?? ''), message: String(e.message ?? '') })) : [];
    const standard = new Set(['type', 'title', 'status', 'code', 'detail', 'instance', 'requestId', 'errors']);
    const extensions = Object.fromEntries(Object.entries(body).filter(([key]) => !standard.has(key)));
    return new ApiProblem(status, body.code, typeof body.detail === 'string' ? body.detail : String(body.title ?? ''), errors, extensions);
  }
  return new ApiProblem(status, 'unexpected', `HTTP ${status}`);
}

/** The data of an openapi-fetch answer, or an ApiProblem thrown (for TanStack Query). */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw toProblem(response.status, error);
  return data as T;
}
