import type { DbClient } from './client.js';

/**
 * Transaction-scoped advisory locks on arbitrary keys (released at commit or rollback).
 * Taken in sorted order, so two transactions locking overlapping sets cannot deadlock.
 */
export async function lockKeys(db: DbClient, keys: string[]): Promise<void> {
  const sorted = [...new Set(keys)].sort();
  if (sorted.length === 0) return;
  await db.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest(${sorted}::text[]) AS k ORDER BY k`;
}
