// Runs once per `vitest run`: builds this run's template database, which every test file
// clones. Names carry the run's pid, so two runs on one machine never touch each other's
// databases, and leftovers of runs that were killed (their pid is gone) are cleaned up. The
// same goes for processes: every child a test starts carries the run's id (helpers/process.ts);
// at the end, one still running fails the run, and those of killed runs are ended at the start.
import { readdirSync, readFileSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { applyMigrations } from '../src/db/migrations.js';
import { adminUrl, testDatabaseUrl } from './helpers/database.js';
import { RUN_MARKER } from './helpers/process.js';

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

/** Processes started by test runs, with the run each belongs to (read from /proc). */
function markedProcesses(): { pid: number; runId: string; command: string }[] {
  const found: { pid: number; runId: string; command: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const environment = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      const marker = environment.find((variable) => variable.startsWith(`${RUN_MARKER}=`));
      if (!marker) continue;
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      found.push({ pid, runId: marker.slice(RUN_MARKER.length + 1), command });
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

function kill(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

export default async function setup(project: TestProject) {
  const runId = String(process.pid);
  const templateDatabase = `hb_tpl_${runId}_main`;
  const orphans = markedProcesses().filter((p) => !alive(Number(p.runId)));
  if (orphans.length > 0) {
    console.warn(`ending ${orphans.length} process(es) left by killed test runs:\n${orphans.map((p) => `${p.pid}: ${p.command}`).join('\n')}`);
    kill(orphans.map((p) => p.pid));
  }
  await dropDatabases([...(await leftovers()), templateDatabase]);
  await applyMigrations(testDatabaseUrl(templateDatabase));
  project.provide('runId', runId);
  project.provide('templateDatabase', templateDatabase);
  return async () => {
    const survivors = markedProcesses().filter((p) => p.runId === runId);
    kill(survivors.map((p) => p.pid));
    await dropDatabases([templateDatabase]);
    if (survivors.length > 0) {
      // Vitest reports an error thrown here but still exits 0: the exit code says it.
      process.exitCode = 1;
      throw new Error(`processes started by this test run outlived it (now ended):\n${survivors.map((p) => `${p.pid}: ${p.command}`).join('\n')}`);
    }
  };
}
