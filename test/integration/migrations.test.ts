// The project's own migration runner (Prisma's WebAssembly schema engine) on real databases.
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, createMigration } from '../../src/db/migrations.js';
import { adminUrl, sql, testDatabaseName, testDatabaseUrl } from '../helpers/database.js';

const name = testDatabaseName('migrate');
const url = testDatabaseUrl(name);
let workDir: string;

beforeAll(async () => {
  await sql(adminUrl(), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  workDir = await mkdtemp(join(tmpdir(), 'hearback-migrations-'));
  await cp(resolve('prisma'), join(workDir, 'prisma'), { recursive: true });
});
afterAll(async () => {
  await sql(adminUrl(), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await rm(workDir, { recursive: true, force: true });
});

const paths = () => ({ schemaPath: join(workDir, 'prisma/schema.prisma'), migrationsDir: join(workDir, 'prisma/migrations') });
const tables = async () => (await sql<{ tablename: string }>(url, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).map((r) => r.tablename);

describe('db:migrate and db:diff', () => {
  it('creates the database and every table on a fresh server, recording each migration', async () => {
    const committed = (await readdir(resolve('prisma/migrations'), { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
    const applied = await applyMigrations(url, paths());
    expect(applied).toEqual(committed.sort());
    expect(await tables()).toEqual(expect.arrayContaining(['_prisma_migrations', 'organizations', 'api_keys', 'idempotency_records', 'outbox_jobs']));
    const recorded = await sql<{ migration_name: string; finished_at: Date | null }>(url, 'SELECT migration_name, finished_at FROM _prisma_migrations');
    expect(recorded.map((r) => r.migration_name).sort()).toEqual(committed.sort());
    expect(recorded.every((r) => r.finished_at !== null)).toBe(true);
  });

  it('stores plans’ items and confirmations with lz4 where this Postgres has it (a change of type had reset it once)', async () => {
    const [setting] = await sql<{ lz4: boolean }>(url, `SELECT 'lz4' = ANY (enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`);
    const lz4 = setting?.lz4 === true;
    const columns = await sql<{ attname: string; attcompression: string }>(
      url,
      `SELECT attname, attcompression::text AS attcompression FROM pg_attribute WHERE attrelid = 'decision_plans'::regclass AND attname IN ('items', 'confirmation') ORDER BY attname`,
    );
    expect(columns).toEqual([
      { attname: 'confirmation', attcompression: lz4 ? 'l' : '' },
      { attname: 'items', attcompression: lz4 ? 'l' : '' },
    ]);
  });

  it('changes nothing when run again on an up-to-date database', async () => {
    const before = await sql(url, 'SELECT * FROM _prisma_migrations ORDER BY id');
    expect(await applyMigrations(url, paths())).toEqual([]);
    expect(await sql(url, 'SELECT * FROM _prisma_migrations ORDER BY id')).toEqual(before);
  });

  it('db:diff writes nothing when schema.prisma matches the migrations', async () => {
    expect(await createMigration(url, 'nothing', paths())).toBeNull();
  });

  it('db:diff writes the next migration from a schema change, and db:migrate applies it', async () => {
    const schemaPath = paths().schemaPath;
    const schema = await readFile(schemaPath, 'utf8');
    await writeFile(schemaPath, `${schema}\nmodel Widget {\n  id   String @id @db.Uuid\n  name String @db.VarChar(50)\n\n  @@map("widgets")\n}\n`);
    const shadows = async () => (await sql<{ datname: string }>(adminUrl(), `SELECT datname FROM pg_database WHERE datname LIKE 'hearback_shadow_%'`)).map((r) => r.datname);
    const shadowsBefore = await shadows();
    const dir = await createMigration(url, 'add_widgets', paths(), new Date('2030-01-02T03:04:05Z'));
    expect(dir).toMatch(/20300102030405_add_widgets$/);
    const migrationSql = await readFile(join(dir!, 'migration.sql'), 'utf8');
    expect(migrationSql).toContain('CREATE TABLE "widgets"');
    expect(migrationSql).not.toContain('CREATE TABLE "organizations"');
    expect(await applyMigrations(url, paths())).toEqual(['20300102030405_add_widgets']);
    expect(await tables()).toContain('widgets');
    // No shadow database is left behind (compared with before: a crashed run elsewhere may leave one).
    expect(await shadows()).toEqual(shadowsBefore);
  });

  it('refuses a migration name that is not snake_case', async () => {
    await expect(createMigration(url, 'Add Widgets!', paths())).rejects.toThrow(/snake_case/);
  });
});
