// Cursor pagination over time-ordered ids (UUIDv7): a page is `id > cursor ORDER BY id LIMIT n+1`.
// Cursors are opaque to clients (base64url) so the scheme can change without breaking them.
import { z } from 'zod';
import { AppError } from './errors.js';

export const pageQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50).describe('Items per page (1-200).'),
    cursor: z.string().max(200).optional().describe('`nextCursor` from the previous page.'),
  })
  .strict();
export type PageQuery = z.infer<typeof pageQuerySchema>;

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({
    data: z.array(item),
    nextCursor: z.string().nullable().describe('Pass as `cursor` to get the next page; null on the last page.'),
  });

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export interface PageRequest {
  /** Last id of the previous page, already decoded. */
  after: string | undefined;
  /** Rows to fetch: one more than the limit, to know whether another page exists. */
  take: number;
  limit: number;
}

/** `key` validates what a cursor may hold: ids by default, another unique sort key otherwise. */
export function pageRequest(query: PageQuery, key: z.ZodType<string> = z.uuid()): PageRequest {
  return { after: query.cursor === undefined ? undefined : decodeCursor(query.cursor, key), take: query.limit + 1, limit: query.limit };
}

export function toPage<T extends { id: string }>(rows: T[], request: PageRequest): Page<T>;
export function toPage<T>(rows: T[], request: PageRequest, keyOf: (row: T) => string): Page<T>;
export function toPage<T>(rows: T[], request: PageRequest, keyOf = (row: T) => (row as { id: string }).id): Page<T> {
  const data = rows.slice(0, request.limit);
  const last = data.at(-1);
  const hasMore = rows.length > request.limit;
  return { data, nextCursor: hasMore && last !== undefined ? encodeCursor(keyOf(last)) : null };
}

export const encodeCursor = (after: string): string => Buffer.from(JSON.stringify({ after })).toString('base64url');

export function decodeCursor(cursor: string, key: z.ZodType<string> = z.uuid()): string {
  try {
    return z.object({ after: key }).parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))).after;
  } catch {
    throw new AppError('invalid_cursor', 'The cursor is not one this API returned; start again without it');
  }
}
