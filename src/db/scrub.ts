// Erasing a person from text and JSON columns that mix them with others (a plan naming several
// candidates, an audit entry, a webhook payload): every occurrence of their values is replaced in
// place, case-insensitively, with one statement per column. Used by the owning repositories only.
import { Prisma } from '../generated/prisma/client.js';
import type { DbClient } from './client.js';

/** What replaces an erased value. */
export const ERASED = '[erased]';

/** A person's values as one Postgres regular expression (literal, case-insensitive), or null. */
export type ErasurePattern = string;

const escapeRegex = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Each value as written in plain text and as written inside JSON (quotes and backslashes
 * escaped), so one pattern finds it in both kinds of column. Values under 3 characters are left
 * out: they would match inside unrelated words.
 */
export function erasurePattern(values: Iterable<string>): ErasurePattern | null {
  const forms = new Set<string>();
  for (const raw of values) {
    const value = raw.trim();
    if (value.length < 3) continue;
    forms.add(value);
    forms.add(JSON.stringify(value).slice(1, -1));
  }
  if (forms.size === 0) return null;
  // Longest first: an address is replaced whole before a name inside it.
  return [...forms]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegex)
    .join('|');
}

const ident = (name: string) => Prisma.raw(`"${name.replace(/"/g, '""')}"`);

/** Replaces the person's values in a JSON column; rows are narrowed by `where`. Returns rows changed. */
export const scrubJson = (db: DbClient, table: string, column: string, where: Prisma.Sql, pattern: ErasurePattern) =>
  db.$executeRaw`UPDATE ${ident(table)} SET ${ident(column)} = regexp_replace(${ident(column)}::text, ${pattern}, ${ERASED}, 'gi')::jsonb
                 WHERE ${where} AND ${ident(column)}::text ~* ${pattern}`;

/** Replaces the person's values in a text column; rows are narrowed by `where`. Returns rows changed. */
export const scrubText = (db: DbClient, table: string, column: string, where: Prisma.Sql, pattern: ErasurePattern) =>
  db.$executeRaw`UPDATE ${ident(table)} SET ${ident(column)} = regexp_replace(${ident(column)}, ${pattern}, ${ERASED}, 'gi')
                 WHERE ${where} AND ${ident(column)} ~* ${pattern}`;
