// Runs once per `vitest run`: builds this run's template database, which every test file
// clones. Names carry the run's pid, so two runs on one machine never touch each other's
// databases, and leftovers of runs that were killed (their pid is gone) are cleaned up.
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { applyMigrations } from '../src/db/migrations.js';
import { adminUrl, testDatabaseUrl } from './helpers/database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    runId: string;
    templateDatabase: string;
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

async function dropDatabases(names: string[]): Promise<void> {
  if (names.length === 0) return;
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    for (const name of names) await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

async function leftovers(): Promise<string[]> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname ~ '^hb_(test|tpl)_[0-9]+_'`);
    return rows.map((row) => row.datname).filter((name) => !alive(Number(name.split('_')[2])));
  } finally {
    await client.end();
  }
}

export default async function setup(project: TestProject) {
  const runId = String(process.pid);
  const templateDatabase = `hb_tpl_${runId}_main`;
  await dropDatabases([...(await leftovers()), templateDatabase]);
  await applyMigrations(testDatabaseUrl(templateDatabase));
  project.provide('runId', runId);
  project.provide('templateDatabase', templateDatabase);
  return () => dropDatabases([templateDatabase]);
}
