import type { AnyScenario } from '../lib/types.js';

/**
 * Every scenario; the runner groups each baseline with its dependents. Loaded
 * lazily so `--only fastify-hello` still works while src/ is half-built, and a
 * broken project scenario cannot take the baselines down with it. The key must
 * equal the scenario's `name`.
 */
export const registry: Record<string, () => Promise<{ default: AnyScenario }>> = {
  // Baselines
  'fastify-hello': () => import('./fastify-hello.js'),
  'pg-insert': () => import('./pg-insert.js'),
  'bullmq-noop': () => import('./bullmq-noop.js'),
  // Project scenarios (compared to the baseline they name)
  'pg-read': () => import('./pg-read.js'),
  'app-authenticated-read': () => import('./app-authenticated-read.js'),
  'app-idempotent-create': () => import('./app-idempotent-create.js'),
  'outbox-relay': () => import('./outbox-relay.js'),
  'app-decision-intake': () => import('./app-decision-intake.js'),
  'plan-50k': () => import('./plan-50k.js'),
  'render-plan-50k': () => import('./render-plan-50k.js'),
  'render-10k': () => import('./render-10k.js'),
  'delivery-10k': () => import('./delivery-10k.js'),
  'app-feedback-page': () => import('./app-feedback-page.js'),
  'webhooks-10k': () => import('./webhooks-10k.js'),
  'web-inbox-5k': () => import('./web-inbox-5k.js'),
  'bulk-upsert-1k': () => import('./bulk-upsert-1k.js'),
  'scaling-delivery': () => import('./scaling-delivery.js'),
  'scaling-webhooks': () => import('./scaling-webhooks.js'),
  'scaling-api': () => import('./scaling-api.js'),
};
