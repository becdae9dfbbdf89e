// A fresh database per test file, cloned from the migrated template (test/global-setup.ts):
// cloning takes milliseconds where migrating takes a second.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
const SERVER_URL = 'postgresql://postgres@127.0.0.1:5432';

export const adminUrl = () => `${SERVER_URL}/postgres`;
export const testDatabaseUrl = (name: string) => `${SERVER_URL}/${name}`;

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A database name of this test run (test/global-setup.ts cleans up after killed runs). */
export const testDatabaseName = (label = randomBytes(6).toString('hex')) => `hb_test_${inject('runId')}_${label}`;

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = testDatabaseName();
  const template = inject('templateDatabase');
  await admin(async (client) => {
    // Two files cloning at the same instant can collide on the template's lock: retry briefly.
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        return;
      } catch (error) {
        if (attempt >= 20 || (error as { code?: string }).code !== '55006') throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  });
  return {
    name,
    url: testDatabaseUrl(name),
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
}

/** Runs SQL as the superuser against one database (to break things on purpose, inspect rows). */
export const sql = <T extends pg.QueryResultRow = pg.QueryResultRow>(url: string, text: string, values: unknown[] = []) =>
  withClient(url, async (client) => (await client.query<T>(text, values)).rows);

/** A connected client for several statements (a transaction, a bulk seed), closed afterwards. */
export async function withClient<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
