// Which problems an operation can answer with, derived once from what the route declares: its
// scope, its path ids, its body, its cursor, `Idempotency-Key`, and the codes its own rules throw
// (`config.errors`). The OpenAPI document lists them per status, so generated clients and the
// docs page show each operation's real 4xx answers from the one catalogue in src/lib/errors.ts.
import { problemCatalog, type ProblemCode } from '../lib/errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The codes this route's own rules answer with (`plan_stale`, `four_eyes`...), beyond those
     * every route of its kind shares, which are derived (see `problemsOf`).
     */
    errors?: readonly ProblemCode[];
    /** `false` when an unknown path id is not a 404 (the id only scopes a credential). */
    notFound?: false;
  }
}

export interface RouteShape {
  url: string;
  config?: { scope?: string; public?: boolean; idempotent?: boolean | 'one-statement'; errors?: readonly ProblemCode[]; notFound?: false } | undefined;
  /** Whether the route takes a body, and the names of its query parameters. */
  hasBody: boolean;
  queryNames: readonly string[];
}

/**
 * A route schema may name a component schema as its documented body (`[BODY_KEY]:
 * 'InboundWebhookEvent'`) when it reads the body raw (to check a signature), so it cannot
 * declare a `body` schema.
 */
export const BODY_KEY = 'x-hearback-body';

/** What an API key check answers: no key, a wrong or revoked one (401), another scope (403). */
export const API_KEY_PROBLEMS = ['missing_api_key', 'invalid_api_key', 'api_key_revoked', 'insufficient_scope'] as const satisfies readonly ProblemCode[];
export const IDEMPOTENCY_PROBLEMS = ['invalid_idempotency_key', 'idempotency_request_in_progress', 'idempotency_key_reused'] as const satisfies readonly ProblemCode[];
export const BODY_PROBLEMS = ['payload_too_large', 'unsupported_media_type'] as const satisfies readonly ProblemCode[];

/** Every client-error code the route can answer with, in catalogue order. */
export function problemsOf(route: RouteShape): ProblemCode[] {
  const codes = new Set<ProblemCode>(['validation_failed']);
  const add = (more: readonly ProblemCode[]) => more.forEach((code) => codes.add(code));
  if (route.config?.scope) add(API_KEY_PROBLEMS);
  // Every /v1 route is limited (per key, or per address on public ones), and every webhook URL.
  if (route.url.startsWith('/v1/') || route.url.startsWith('/webhooks/')) add(['rate_limited']);
  if (/\/:/.test(route.url) && route.config?.notFound !== false) add(['not_found']);
  if (route.hasBody) add(BODY_PROBLEMS);
  if (route.queryNames.includes('cursor')) add(['invalid_cursor']);
  if (route.config?.idempotent) add(IDEMPOTENCY_PROBLEMS);
  add(route.config?.errors ?? []);
  return (Object.keys(problemCatalog) as ProblemCode[]).filter((code) => codes.has(code) && problemCatalog[code].status < 500);
}

/** The codes grouped by HTTP status: `{ '404': ['not_found'], '409': ['conflict', 'plan_stale'] }`. */
export function byStatus(codes: readonly ProblemCode[]): Record<string, ProblemCode[]> {
  const statuses: Record<string, ProblemCode[]> = {};
  for (const code of codes) (statuses[String(problemCatalog[code].status)] ??= []).push(code);
  return statuses;
}
