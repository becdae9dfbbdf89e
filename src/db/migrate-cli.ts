// `npm run db:migrate` applies pending migrations; `npm run db:diff -- NAME` writes the next one
// from prisma/schema.prisma. No native Prisma engine is needed (see schema-engine.ts).
import { loadConfig } from '../config.js';
import { applyMigrations, createMigration } from './migrations.js';

async function main(argv: string[]): Promise<void> {
  const [command, name] = argv;
  const { DATABASE_URL } = loadConfig(process.env);
  if (command === 'deploy') {
    const applied = await applyMigrations(DATABASE_URL);
    console.log(applied.length === 0 ? 'database is up to date' : `applied: ${applied.join(', ')}`);
  } else if (command === 'diff' && name) {
    const dir = await createMigration(DATABASE_URL, name);
    console.log(dir ? `wrote ${dir}/migration.sql` : 'schema.prisma has no change to migrate');
  } else {
    throw new Error('usage: migrate-cli deploy | migrate-cli diff NAME');
  }
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`db: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
