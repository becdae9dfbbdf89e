// Delivery: approved messages reach their candidates through Postmark exactly once.
//
//   approved ──dispatch──▶ scheduled ──claim──▶ sending ──▶ sent ──webhooks──▶ delivered / bounced
//      │                      ▲   │               │
//      └──── held ◀───────────┼───┘ (a check)     ├── retry (429/5xx) ──▶ scheduled
//                             │                   ├──▶ failed (Postmark's final answer)
//                             └── reconcile ◀─────┴──▶ unknown ──▶ sent, or scheduled again
//
// Postgres is the source of truth, BullMQ only carries work: jobs hold a batch id, never
// candidate data. Three jobs, a file each: dispatch.ts (due messages into batches, and the sweeper
// that takes back lost work), send.ts (one attempt at a batch), reconcile.ts (unknown outcomes);
// transactional.ts sends one-off emails to candidates (an answer to their question) the same way.
// The messages module owns every status change; delivery asks it by name.
import { deliveryContext, type DeliveryServiceDeps } from './delivery-context.js';
import { createDispatch } from './dispatch.js';
import { createReconcile } from './reconcile.js';
import { createSend } from './send.js';
import { createTransactionalSender } from './transactional.js';

export type { DeliverySettings, DeliveryServiceDeps } from './delivery-context.js';
export type DeliveryService = ReturnType<typeof createDeliveryService>;

export function createDeliveryService(deps: DeliveryServiceDeps) {
  const ctx = deliveryContext(deps);
  const { dispatchDue, sweep } = createDispatch(ctx);
  const transactional = createTransactionalSender(ctx);
  return { dispatchDue, sweep, sendBatch: createSend(ctx), reconcile: createReconcile(ctx), sendTransactional: transactional.send, sweepTransactional: transactional.sweep };
}
