// The Prisma client on the pg driver adapter, over a pg pool of our own: the same pool also runs
// the few hot statements of src/db/sql.ts, and in a transaction they run on its own connection.
// Repositories are the only modules that use either.
import { AsyncLocalStorage } from 'node:async_hooks';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient, Prisma } from '../generated/prisma/client.js';

export { Prisma, PrismaClient };
export type Db = PrismaClient;
/** A transaction, or the client itself: repositories accept either. */
export type DbClient = PrismaClient | Prisma.TransactionClient;

export interface DbOptions {
  url: string;
  poolSize: number;
  /** Name shown in pg_stat_activity, to tell the API's connections from the workers'. */
  applicationName: string;
}

/** The pool under each client createDb made (a transaction client has none: it is not a key here). */
const pools = new WeakMap<object, pg.Pool>();

/**
 * A pg pool whose failures to hand out a connection (none free within the connection timeout,
 * refused, dropped while connecting) are DatabaseUnavailableError: Prisma passes pg's plain
 * `Error('timeout exceeded when trying to connect')` through, which would otherwise be a 500.
 * Postgres's own refusals (too many connections, starting up) keep their SQLSTATE.
 */
class Pool extends pg.Pool {
  override connect(): Promise<pg.PoolClient>;
  override connect(callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): void;
  override connect(callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): Promise<pg.PoolClient> | void {
    if (callback) return super.connect((err, client, done) => callback(err ? unavailable(err) : err, client, done));
    const transaction = starting.getStore();
    return super.connect().then(
      (client) => {
        if (transaction && !transaction.client) holdFor(transaction, client);
        return client;
      },
      (error: unknown) => {
        throw unavailable(error);
      },
    );
  }
}

const SQLSTATE = /^[0-9A-Z]{5}$/;
/** A failure outside Postgres (pool, socket) as DatabaseUnavailableError; a Postgres error keeps its SQLSTATE. */
export function unavailable(error: unknown): Error {
  if (!(error instanceof Error)) return new DatabaseUnavailableError(String(error));
  const code: unknown = Reflect.get(error, 'code');
  if ((typeof code === 'string' && SQLSTATE.test(code)) || error instanceof DatabaseUnavailableError) return error;
  return new DatabaseUnavailableError(error.message, { cause: error });
}

export function createDb(options: DbOptions): PrismaClient {
  const pool = new Pool({
    connectionString: options.url,
    max: options.poolSize,
    application_name: options.applicationName,
    // A dead database must turn into a fast 503, not a request that hangs.
    connectionTimeoutMillis: 5_000,
  });
  // An idle connection the server dropped: the pool discards it and the next query reconnects.
  // Without a listener the event would end the process (Prisma listens only while connected).
  pool.on('error', () => {});
  const db = new PrismaClient({ adapter: new PrismaPg(pool) });
  db.$transaction = withOwnConnection(db);
  pools.set(db, pool);
  return db;
}

/** The pg connection an interactive transaction holds, and whether it still holds it. */
interface Held {
  client?: pg.PoolClient;
  open: boolean;
}
/** Set while a transaction starts: the first connection taken from the pool in it is the transaction's. */
const starting = new AsyncLocalStorage<Held>();
/** Transaction client → its connection. */
const held = new WeakMap<object, Held>();

/**
 * The transaction's own connection (withOwnConnection), closed to our statements from the moment
 * Prisma queues its COMMIT or ROLLBACK: a statement queued after that would run outside the
 * transaction and commit on its own (a transaction Prisma rolls back at its timeout while its
 * callback still runs), and once released the connection serves someone else.
 *
 * Its statements, Prisma's and ours, are sent one after the other: Prisma queued a transaction's
 * statements itself, and `Promise.all` over our statements in a transaction would otherwise hand
 * pg a query while another runs (deprecated in pg 8, refused from pg 9). The query wrapper goes
 * with the release: pg-pool hands the same client out again.
 */
function holdFor(transaction: Held, client: pg.PoolClient): void {
  transaction.client = client;
  const query = client.query.bind(client);
  let previous: Promise<unknown> = Promise.resolve();
  Reflect.set(client, 'query', (...args: Parameters<typeof query>) => {
    const text = textOf(args[0]);
    if (text === 'COMMIT' || text === 'ROLLBACK') transaction.open = false;
    // A callback or a submittable (a cursor) is pg's own business: nothing of ours sends one.
    if (args.some((arg) => typeof arg === 'function') || typeof Reflect.get(Object(args[0]), 'submit') === 'function') return query(...args);
    const sent = previous.then(() => query(...args));
    previous = sent.catch(() => undefined);
    return sent;
  });
  const release = client.release.bind(client);
  client.release = (error?: Error | boolean) => {
    transaction.open = false;
    Reflect.deleteProperty(client, 'query');
    release(error);
  };
}

/** The SQL of a pg `query` call's first argument: its text, or its config's. */
const textOf = (config: unknown): unknown => (typeof config === 'string' ? config : typeof config === 'object' && config !== null ? Reflect.get(config, 'text') : undefined);

/**
 * `$transaction` whose callback's client knows its pg connection (connectionOf): the driver
 * adapter takes the connection from our pool (`Pool.connect` above) while the transaction starts,
 * in the async context set here. Statements of src/db/sql.ts then run on it directly, inside the
 * transaction, without Prisma's per-statement work: its JSON encoding of every value (a 17 MB
 * plan, 50,000-id lists), which its debug module also keeps for the last 100 statements, logging
 * on or off. The array form is Prisma's own.
 */
function withOwnConnection(db: PrismaClient): PrismaClient['$transaction'] {
  const transaction = db.$transaction.bind(db);
  function $transaction<P extends Prisma.PrismaPromise<unknown>[]>(arg: [...P], options?: TransactionOptions): ReturnType<typeof transaction<P>>;
  function $transaction<R>(fn: (tx: Prisma.TransactionClient) => Promise<R>, options?: TransactionOptions): Promise<R>;
  function $transaction(
    this: unknown,
    arg: Prisma.PrismaPromise<unknown>[] | ((tx: Prisma.TransactionClient) => Promise<unknown>),
    options?: TransactionOptions,
  ): Promise<unknown> {
    // A transaction client reaches this function too (Prisma's proxy reads the client's own
    // properties), where `tx.$transaction(…)` would be Prisma's nested transaction: here it
    // would start a separate one on another connection, outside the first. Nothing nests
    // transactions (pass the transaction client down): refused rather than done wrong. (Taken
    // off the client first, `const { $transaction } = tx`, it cannot be told apart: don't.)
    if (typeof this === 'object' && this !== null && held.has(this)) {
      return Promise.reject(new Error('A transaction inside a transaction: pass the transaction client down instead'));
    }
    if (typeof arg !== 'function') return transaction(arg, options);
    const connection: Held = { open: true };
    return starting.run(connection, () =>
      transaction((tx) => {
        held.set(tx, connection);
        return arg(tx);
      }, options),
    );
  }
  return $transaction;
}
type TransactionOptions = { maxWait?: number; timeout?: number; isolationLevel?: Prisma.TransactionIsolationLevel };

/**
 * The pg connection of a transaction client from createDb's `$transaction`; undefined for
 * anything else. A transaction that ended (committed, rolled back, timed out) has none: its
 * connection may already serve someone else.
 */
export function connectionOf(db: DbClient): pg.PoolClient | undefined {
  const connection = held.get(db);
  if (!connection) return undefined;
  if (!connection.open || !connection.client) throw new Error('Transaction already closed: its connection went back to the pool');
  return connection.client;
}

/** The pool a client from createDb runs on; undefined for a transaction (its statements must stay in it: connectionOf). */
export const poolOf = (db: DbClient): pg.Pool | undefined => pools.get(db);

/** Disconnects Prisma, then ends the pool (the adapter leaves a pool it was given open). */
export async function closeDb(db: PrismaClient): Promise<void> {
  await db.$disconnect();
  const pool = pools.get(db);
  pools.delete(db);
  if (pool && !pool.ended) await pool.end();
}

/** A pool or connection failure met outside Prisma (src/db/sql.ts): answered as "unavailable", like Prisma's. */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
}

/** Prisma codes for "cannot reach / lost / too many connections", and Postgres's own. */
const UNAVAILABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', '57P01', '57P03', '53300']);

/** True for errors that mean "the database cannot be reached", as opposed to a bad query. */
export function isDbUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof DatabaseUnavailableError) return true;
  const code = (error as { code?: unknown }).code;
  if (error.name.startsWith('PrismaClient')) {
    return (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) || error.name === 'PrismaClientInitializationError';
  }
  // pg errors outside Prisma (LISTEN connections, raw pools) carry the SQLSTATE.
  return typeof code === 'string' && UNAVAILABLE_CODES.has(code);
}

export async function pingDb(db: PrismaClient): Promise<void> {
  await db.$queryRaw`SELECT 1`;
}

/** The Postgres SQLSTATE behind an error, whether it came through Prisma or straight from pg. */
export function pgErrorCode(error: unknown): string | undefined {
  const viaPrisma = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } })?.meta?.driverAdapterError?.cause?.originalCode;
  if (typeof viaPrisma === 'string') return viaPrisma;
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
