// Which room may import which: the queue layer knows no module's jobs and no composition root,
// the worker entry does not load the API, plugins are given what they need (readers, stores,
// documents) rather than importing a module, and the modules on the house style query only in
// their repositories.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve('.');

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'generated' ? [] : files(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });

/** The files a file imports (relative specifiers only), as paths from the project root. */
const importsOf = (path: string): string[] =>
  [...readFileSync(path, 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'(\.{1,2}\/[^']+)'/gm)].map((m) =>
    relative(ROOT, resolve(dirname(path), m[1]!)).replace(/\.js$/, '.ts'),
  );

/** `file → import` for every import of a file under `from` that `forbidden` matches. */
const edges = (from: string, forbidden: RegExp) =>
  files(join(ROOT, from)).flatMap((path) =>
    importsOf(path)
      .filter((target) => forbidden.test(target))
      .map((target) => `${relative(ROOT, path)} → ${target}`),
  );

/** The modules whose Prisma and SQL live only in `*.repository.ts`: one added here cannot regress. */
const QUERY_CLEAN_MODULES = [
  'ats-api',
  'ats-inbound',
  'ats-writeback',
  'audit',
  'candidate-page',
  'data-rights',
  'decisions',
  'delivery',
  'feedback',
  'health',
  'hiring',
  'idempotency',
  'maintenance',
  'messages',
  'notifications',
  'organizations',
  'outbox',
  'outgoing-webhooks',
  'people',
  'promises',
  'reports',
  'templates',
  'webhook-signatures',
];

/** A Prisma model call (`<client>.<model>.<method>(`, every model of the schema) or raw SQL. */
const models = [...readFileSync(join(ROOT, 'prisma/schema.prisma'), 'utf8').matchAll(/^model (\w+)/gm)].map(([, name]) => name![0]!.toLowerCase() + name!.slice(1));
const DATABASE_CALL = new RegExp(`\\.\\s*(?:${models.join('|')})\\s*\\.\\s*\\w+\\s*\\(|\\$queryRaw|\\$executeRaw|\\brunSql\\s*[<(]|\\bsqlRows\\s*[<(]`);

describe('layering', () => {
  it('reads imports the way the code writes them', () => {
    // The check itself: it sees a real import, so an empty answer below means something.
    expect(importsOf(join(ROOT, 'workers/main.ts'))).toContain('src/config.ts');
  });

  it('keeps worker wiring in workers/, out of the queue layer', () => {
    expect(edges('src/queue', /^src\/deps\.ts$|^src\/modules\/.*\.jobs\.ts$/)).toEqual([]);
  });

  it('starts the workers without loading the API', () => {
    expect(edges('workers', /^src\/(server|app)\.ts$/)).toEqual([]);
  });

  it('gives plugins what they need through options instead of letting them import a module', () => {
    expect(edges('src/plugins', /^src\/modules\//)).toEqual([]);
  });

  it('queries the database only in repositories, in the modules on the house style and in plugins', () => {
    const offenders = [...QUERY_CLEAN_MODULES.map((name) => `src/modules/${name}`), 'src/plugins']
      .flatMap((dir) => files(join(ROOT, dir)))
      .filter((path) => !path.endsWith('.repository.ts'))
      .flatMap((path) =>
        readFileSync(path, 'utf8')
          .split('\n')
          .flatMap((line, i) => (DATABASE_CALL.test(line) ? [`${relative(ROOT, path)}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(offenders).toEqual([]);
    // The check itself: it recognises a model query and raw SQL.
    expect(DATABASE_CALL.test('await client.requisition.findFirst({ where })')).toBe(true);
    expect(DATABASE_CALL.test('await tx.webhookEndpoint.findMany({ where })')).toBe(true);
    expect(DATABASE_CALL.test('await db.$executeRaw`DELETE FROM x`')).toBe(true);
    expect(DATABASE_CALL.test('await runSql<Row>(db, organizationById, [id])')).toBe(true);
    expect(DATABASE_CALL.test('await sqlRows<Row>(db)`SELECT 1`')).toBe(true);
    expect(DATABASE_CALL.test('await inboundRepository.purgeDeliveries(db, before)')).toBe(false);
  });
});
