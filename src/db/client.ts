// The Prisma client on the pg driver adapter, over a pg pool of our own: the same pool also runs
// the few hot statements of src/db/sql.ts. Repositories are the only modules that use either.
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
    return super.connect().catch((error: unknown) => {
      throw unavailable(error);
    });
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
  pools.set(db, pool);
  return db;
}

/** The pool a client from createDb runs on; undefined for a transaction (its statements must stay in it). */
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
