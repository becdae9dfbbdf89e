import pg from 'pg';

/**
 * Creates the database named in `url` if missing, connecting to the
 * maintenance database on the same server. The bench never touches the
 * test or dev databases.
 */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unexpected bench database name: ${name}`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) {
      // CREATE DATABASE takes no parameters; the name is checked above.
      await client.query(`create database ${name}`).catch((err: { code?: string }) => {
        if (err.code !== '42P04') throw err; // created concurrently: fine
      });
    }
  } finally {
    await client.end();
  }
}

/** A URL to the same server naming another database. */
function withDatabase(url: string, name: string): string {
  const other = new URL(url);
  other.pathname = `/${name}`;
  return other.toString();
}

function benchDatabaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  // Dropped and recreated for every scenario: never anything but a bench database.
  if (!/^(?=[a-z_])[a-z0-9_]*bench[a-z0-9_]*$/.test(name)) throw new Error(`refusing to recreate "${name}": the bench database's name must contain "bench"`);
  return name;
}

async function onMaintenanceDb<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Makes `<bench db>_template` anew with every migration applied (`migrate`), once per run. Each
 * scenario then starts from a copy of it (`freshDatabase`), so no scenario reads what an earlier
 * one, or an earlier run, left behind: 200,000 leftover drafts slowed every later query, and
 * leftover approved messages were delivered by the next delivery run.
 */
export async function prepareTemplate(url: string, migrate: (url: string) => Promise<unknown>): Promise<void> {
  const template = `${benchDatabaseName(url)}_template`;
  await onMaintenanceDb(url, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${template}`);
  });
  await migrate(withDatabase(url, template));
}

/** Drops the bench database and creates it again as a copy of the migrated template. */
export async function freshDatabase(url: string): Promise<void> {
  const name = benchDatabaseName(url);
  await onMaintenanceDb(url, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name} TEMPLATE ${name}_template`);
  });
}

/**
 * A requisition with `count` applicants (a candidate with one email each), seeded in SQL: the
 * big-plan scenarios measure the plan and its drafts, not thousands of API calls. `chosenId` is
 * its first application by id, the one a plan offers the job to.
 */
export async function seedRequisition(pool: pg.Pool, organizationId: string, title: string, count: number): Promise<{ requisitionId: string; chosenId: string }> {
  const { rows } = await pool.query<{ id: string }>(`INSERT INTO requisitions (id, organization_id, title, updated_at) VALUES (gen_random_uuid(), $1, $2, now()) RETURNING id`, [
    organizationId,
    title,
  ]);
  const requisitionId = rows[0]!.id;
  await pool.query(
    `WITH c AS (
       INSERT INTO candidates (id, organization_id, name, person_id, updated_at)
       SELECT id, $1, 'Candidate ' || n, id, now() FROM (SELECT gen_random_uuid() AS id, n FROM generate_series(1, $3::int) n) s
       RETURNING id, name),
     e AS (
       INSERT INTO candidate_emails (id, organization_id, candidate_id, address, normalized, is_primary)
       SELECT gen_random_uuid(), $1, id, lower(replace(name, ' ', '.')) || '@bench.test', lower(replace(name, ' ', '.')) || '@bench.test', true FROM c)
     INSERT INTO applications (id, organization_id, candidate_id, requisition_id, updated_at)
     SELECT gen_random_uuid(), $1, id, $2, now() FROM c`,
    [organizationId, requisitionId, count],
  );
  // A database holding 50,000 applicants has statistics on them (autovacuum analyses a table once
  // a tenth of it changed); right after a bulk seed it has none, and the planner guesses.
  await pool.query('ANALYZE candidates, candidate_emails, applications');
  const { rows: chosen } = await pool.query<{ id: string }>(`SELECT id FROM applications WHERE requisition_id = $1 ORDER BY id LIMIT 1`, [requisitionId]);
  return { requisitionId, chosenId: chosen[0]!.id };
}
