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

/** True for errors that mean "the database cannot be reached", as opposed to a bad query. */
export function isDbUnavailable(error: unknown): boolean {
  const text = `${(error as { code?: string })?.code ?? ''} ${(error as Error)?.message ?? ''}`;
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|Connection terminated|timeout exceeded when trying to connect|Can't reach database|P1001|P1017|57P01|57P03|53300/i.test(
    text,
  );
}

export async function pingDb(db: PrismaClient): Promise<void> {
  await db.$queryRaw`SELECT 1`;
}
