import type { DbClient } from '../../db/client.js';
import { auditRepository } from '../audit/audit.repository.js';
import type { Actor } from '../../lib/actor.js';

// Field-level change detection for create-or-update: an update that changes nothing writes
// nothing and logs nothing, which is what makes repeated ATS deliveries idempotent.

const same = (a: unknown, b: unknown): boolean => (a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : a === b);

/** The fields of `next` whose values differ from `current` (undefined in `next` = keep). */
export function changedFields<T extends object>(current: T, next: Partial<T>): Partial<T> {
  const changes: Partial<T> = {};
  for (const key of Object.keys(next) as (keyof T)[]) {
    const value = next[key];
    if (value !== undefined && !same(current[key], value)) changes[key] = value;
  }
  return changes;
}

/** The values `changes` replaces, for the audit log's `before`. */
export function previousValues<T extends object>(current: T, changes: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.keys(changes).map((key) => [key, current[key as keyof T]])) as Partial<T>;
}

/**
 * Writes `changes` (if any) through `update` and logs them with before/after; a change of
 * `status` is logged as `<entity>.status_changed`, anything else as `<entity>.updated`.
 */
export async function writeAuditedChanges<T extends { id: string }>(
  db: DbClient,
  actor: Actor,
  entity: string,
  current: T,
  changes: Partial<T>,
  update: (changes: Partial<T>) => Promise<T>,
): Promise<T> {
  if (Object.keys(changes).length === 0) return current;
  const updated = await update(changes);
  await auditRepository.record(db, actor, [
    {
      action: 'status' in changes ? `${entity}.status_changed` : `${entity}.updated`,
      entity,
      entityId: current.id,
      before: previousValues(current, changes),
      after: changes,
    },
  ]);
  return updated;
}
