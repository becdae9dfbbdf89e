// Data migrations that SQL cannot express, because they need the application's own functions
// (IDNA for email domains, say). Each completes one SQL migration and runs after the SQL
// migrations, once: in one transaction with its row in data_migrations, so a step that failed is
// tried again by the next run, and a runner racing another waits on that row and skips the step.
// On a fresh database a step runs after later SQL migrations too: it touches only long-lived
// columns, and is a no-op on empty tables.
import pg from 'pg';
import { emailRenormalization } from './email-renormalization.js';

export interface DataMigration {
  /** The SQL migration (its directory name) this step completes: the step runs where it exists. */
  migration: string;
  run(client: pg.ClientBase): Promise<void>;
}

export const dataMigrations: DataMigration[] = [emailRenormalization];

/** Runs the steps of these SQL migrations not run yet; returns the migrations whose step ran. */
export async function applyDataMigrations(connectionString: string, migrationNames: string[], steps: DataMigration[] = dataMigrations): Promise<string[]> {
  const due = steps.filter((step) => migrationNames.includes(step.migration));
  if (due.length === 0) return [];
  const client = new pg.Client({ connectionString });
  await client.connect();
  const ran: string[] = [];
  try {
    for (const step of due) {
      await client.query('BEGIN');
      try {
        const { rowCount } = await client.query('INSERT INTO data_migrations (name) VALUES ($1) ON CONFLICT DO NOTHING', [step.migration]);
        if (rowCount === 1) {
          await step.run(client);
          ran.push(step.migration);
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    }
  } finally {
    await client.end();
  }
  return ran;
}
