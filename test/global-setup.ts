// Runs once per `vitest run`: builds the template database every test file clones.
import pg from 'pg';
import { applyMigrations } from '../src/db/migrations.js';
import { adminUrl, TEMPLATE_DATABASE, testDatabaseUrl } from './helpers/database.js';

export default async function setup(): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
    // Databases left by interrupted runs (a killed vitest skips afterAll).
    const { rows } = await client.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'hb_test_%' OR datname LIKE 'hearback_shadow_%'`,
    );
    for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
  await applyMigrations(testDatabaseUrl(TEMPLATE_DATABASE));
}
