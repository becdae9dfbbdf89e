// One error hierarchy for the whole service. Each error carries its HTTP status and a stable
// `code`; src/plugins/error-handler.ts turns them into RFC 9457 problem+json.

export interface FieldError {
  /** JSON path of the offending field, e.g. `body.scopes[1]`. */
  path: string;
  message: string;
}

/** Every code the API answers with, its status and a short human title. */
export const problemCatalog = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  invalid_cursor: { status: 400, title: 'The pagination cursor is not valid' },
  invalid_idempotency_key: { status: 400, title: 'The Idempotency-Key header is not valid' },
  missing_api_key: { status: 401, title: 'An API key is required' },
  invalid_api_key: { status: 401, title: 'The API key is not valid' },
  api_key_revoked: { status: 401, title: 'The API key has been revoked' },
  session_invalid: { status: 401, title: 'The session has expired or was ended' },
  webhook_unauthorized: { status: 401, title: 'The webhook credentials are missing or wrong' },
  metrics_unauthorized: { status: 401, title: 'The metrics token is missing or wrong' },
  signature_invalid: { status: 401, title: 'The delivery’s signature does not verify' },
  insufficient_scope: { status: 403, title: 'The API key lacks a required scope' },
  four_eyes: { status: 403, title: 'A second person must approve this' },
  not_a_person: { status: 403, title: 'This is for a person; a service key acts for no one' },
  csrf_failed: { status: 403, title: 'The CSRF token is missing or wrong' },
  forbidden_origin: { status: 403, title: 'The request came from another site' },
  sign_in_failed: { status: 400, title: 'The sign-in did not succeed' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  request_timeout: { status: 408, title: 'The request took too long to arrive' },
  conflict: { status: 409, title: 'The request conflicts with the current state' },
  candidate_erased: { status: 409, title: 'This candidate’s data was erased' },
  idempotency_request_in_progress: { status: 409, title: 'A request with this Idempotency-Key is still running' },
  requisition_closed: { status: 409, title: 'The requisition is cancelled or filled' },
  requisition_not_on_hold: { status: 409, title: 'Only a requisition on hold can be reopened' },
  applicants_without_final_word: { status: 409, title: 'Some applicants have not been given a final word' },
  plan_stale: { status: 409, title: 'The data behind the plan has changed' },
  plan_expired: { status: 409, title: 'The plan has expired' },
  chosen_mismatch: { status: 409, title: 'The chosen candidates do not match the plan' },
  blocked_items: { status: 409, title: 'Some items are blocked by the confirmation checks' },
  message_state: { status: 409, title: 'The message is not in a state that allows this' },
  message_changed: { status: 409, title: 'The message changed since you saw it' },
  message_blocked: { status: 409, title: 'The message has blocking findings' },
  payload_too_large: { status: 413, title: 'The request body is too large' },
  logo_too_large: { status: 413, title: 'The logo is larger than the limit' },
  logo_unsupported_type: { status: 415, title: 'The logo must be PNG, JPEG or WebP' },
  unsupported_media_type: { status: 415, title: 'The request body must be JSON' },
  idempotency_key_reused: { status: 422, title: 'The Idempotency-Key was used with a different request' },
  ats_credentials_refused: { status: 422, title: 'The ATS refused these credentials' },
  template_invalid: { status: 422, title: 'The template has errors' },
  logo_not_an_image: { status: 422, title: 'The logo is not an image of the type it claims' },
  logo_dimensions: { status: 422, title: 'The logo is too small or too large in pixels' },
  rate_limited: { status: 429, title: 'Too many requests' },
  headers_too_large: { status: 431, title: 'The request headers are too large' },
  internal_error: { status: 500, title: 'Internal server error' },
  ats_unavailable: { status: 502, title: 'The ATS did not answer as expected' },
  service_unavailable: { status: 503, title: 'A service Hearback depends on is unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof problemCatalog;

export interface AppErrorOptions {
  errors?: FieldError[];
  headers?: Record<string, string>;
  /** Extra members for the problem document (RFC 9457 extensions). */
  extensions?: Record<string, unknown>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly status: number;
  readonly title: string;

  constructor(
    readonly code: ProblemCode,
    readonly detail?: string,
    readonly options: AppErrorOptions = {},
  ) {
    super(detail ?? problemCatalog[code].title, { cause: options.cause });
    this.name = 'AppError';
    this.status = problemCatalog[code].status;
    this.title = problemCatalog[code].title;
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} was not found`);
export const conflict = (detail: string, extensions?: Record<string, unknown>) => new AppError('conflict', detail, extensions ? { extensions } : {});
export const validationFailed = (errors: FieldError[], detail = 'The request has invalid fields') => new AppError('validation_failed', detail, { errors });

/** The value, or a 404 naming what was missing. */
export function found<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw notFound(what);
  return value;
}
