// The Prisma client on the pg driver adapter. Repositories are the only modules that use it.
import { PrismaPg } from '@prisma/adapter-pg';
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

export function createDb(options: DbOptions): PrismaClient {
  const adapter = new PrismaPg({
    connectionString: options.url,
    max: options.poolSize,
    application_name: options.applicationName,
    // A dead database must turn into a fast 503, not a request that hangs.
    connectionTimeoutMillis: 5_000,
  });
  return new PrismaClient({ adapter });
}

/** Prisma codes for "cannot reach / lost / too many connections", and Postgres's own. */
const UNAVAILABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', '57P01', '57P03', '53300']);

/** True for errors that mean "the database cannot be reached", as opposed to a bad query. */
export function isDbUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
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
