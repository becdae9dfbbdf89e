// Named statements straight on the pg pool under Prisma (src/db/client.ts), for the few hot
// statements where Prisma's own per-query CPU (0.1–0.3 ms) is most of what a request costs.
// A name is prepared once per connection (Postgres parses and plans it once), then only its
// values travel. Inside a transaction the same SQL runs on the transaction's own connection
// (connectionOf), so it stays in the transaction. A client not made by createDb has neither: the
// SQL then goes through Prisma. Only repositories call runSql (test/integration/layering.test.ts).
//
// Rows come back as pg parses them: timestamptz → Date, json → value, int4 → number, but int8 and
// numeric → string, so cast counts to int in the SQL. Enum columns come back as text.
import type { QueryResultRow } from 'pg';
import { connectionOf, poolOf, unavailable, type DbClient } from './client.js';

export interface Statement {
  /** Unique per text: pg caches the prepared statement by name on each connection. */
  readonly name: string;
  readonly text: string;
}

const names = new Map<string, string>();

/** A statement with a stable name; the same name with another text is a programming error. */
export function statement(name: string, text: string): Statement {
  const known = names.get(name);
  if (known !== undefined && known !== text) throw new Error(`SQL statement ${name} is defined twice with different text`);
  names.set(name, text);
  return { name, text };
}

/**
 * Runs a named statement, or (no name: sqlRows) a one-off one that Postgres plans for its values
 * each time, on the pool or on the transaction's connection.
 */
export async function runSql<Row extends QueryResultRow>(db: DbClient, { name, text }: Statement | { name?: undefined; text: string }, values: unknown[]): Promise<Row[]> {
  const on = poolOf(db) ?? connectionOf(db);
  if (!on) return db.$queryRawUnsafe<Row[]>(text, ...values);
  try {
    return (await on.query<Row>({ name, text, values })).rows;
  } catch (error) {
    // A Postgres error keeps its SQLSTATE (the error handler maps those); anything else came
    // from the pool or the socket (no free connection in time, refused, dropped): unavailable.
    throw unavailable(error);
  }
}

/**
 * A one-off statement written as a template (`sqlRows<Row>(db)\`SELECT … ${value}\``, values sent
 * as $1, $2, …), planned for its values each time: for the big reads of a plan, whose 50,000-id
 * lists deserve a plan of their own, and for the big writes (a plan's items, its decisions and
 * drafts). It runs on the pool, or inside a transaction on its connection: Prisma's handling of
 * each row and parameter cost more than Postgres's work for those statements, and its debug
 * module keeps the last 100 calls' arguments (megabytes of ids) alive.
 */
export const sqlRows =
  <Row extends QueryResultRow>(db: DbClient) =>
  (strings: TemplateStringsArray, ...values: unknown[]): Promise<Row[]> =>
    runSql<Row>(db, { text: strings.reduce((sql, part, i) => `${sql}$${i}${part}`) }, values);
