// `npm run demo`: everything a newcomer needs to try Hearback on one machine — starts the
// machine's PostgreSQL and Redis when they are installed but stopped (scripts/local-services),
// migrates the database, seeds the demo organization, starts the local Postmark-compatible
// server (its inbox page shows every email Hearback sends), the API and the workers, and prints
// the admin API key: the same one at every start while it still works (kept in DEMO_KEY_FILE).
// PORT and POSTMARK_FAKE_PORT move every URL. Ctrl-C stops it all. It lives in test/ because it
// runs the Postmark fake.
import { spawn, spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadConfig, type Config } from '../src/config.js';
import { closeDb, createDb, type PrismaClient } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrations.js';
import { createSealer } from '../src/lib/crypto.js';
import { createSendingSetupService } from '../src/modules/delivery/sending-setup.service.js';
import { hasScope } from '../src/lib/actor.js';
import { createOrganizationsService } from '../src/modules/organizations/organizations.service.js';
import { createUsersService } from '../src/modules/people/users.service.js';
import { startServer } from '../src/server.js';
import { DEMO_ORGANIZATION, DEMO_SEND_POLICY, seedDemo } from '../prisma/seed.js';
import { startPostmarkServer } from './postmark/server.js';
import { ensureWebBuilt } from '../web/build.js';

const demoConfig = loadConfig(process.env);
const env = { POSTMARK_API_URL: `http://127.0.0.1:${demoConfig.POSTMARK_FAKE_PORT}`, ...process.env };
const config = loadConfig(env);

/** Host and port of a service URL, for scripts/local-services. */
const hostAndPort = (url: string, defaultPort: number) => {
  const parsed = new URL(url);
  return [parsed.hostname, parsed.port || String(defaultPort)];
};
const services = spawnSync(
  fileURLToPath(new URL('../scripts/local-services', import.meta.url)),
  [...hostAndPort(config.DATABASE_URL, 5432), ...hostAndPort(config.REDIS_URL, 6379)],
  { stdio: 'inherit' },
);
if (services.status !== 0) process.exit(1);

const applied = await applyMigrations(config.DATABASE_URL);
console.log(applied.length ? `database migrated: ${applied.join(', ')}` : 'database is up to date');

interface StoredKey {
  organizationId: string;
  secret: string;
}

/** The key kept from an earlier start, when it still opens the demo organization with admin scope. */
async function storedKey(db: PrismaClient, file: string) {
  let stored: StoredKey;
  try {
    stored = JSON.parse(await readFile(file, 'utf8')) as StoredKey;
  } catch {
    return null;
  }
  const organizations = createOrganizationsService({ db });
  try {
    const auth = await organizations.authenticate(stored.secret);
    if (auth.organizationId !== stored.organizationId || !hasScope(auth, 'admin')) return null;
    const organization = await organizations.getOrganization(auth.organizationId);
    return organization.name === DEMO_ORGANIZATION ? { organization, secret: stored.secret } : null;
  } catch {
    // Revoked, deleted, or another database: a new key is made.
    return null;
  }
}

async function demoOrganization(db: PrismaClient, config: Config) {
  const kept = await storedKey(db, config.DEMO_KEY_FILE);
  if (kept) return { ...kept, reused: true };
  const seeded = await seedDemo(db);
  const stored: StoredKey = { organizationId: seeded.organization.id, secret: seeded.secret };
  await writeFile(config.DEMO_KEY_FILE, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
  return { organization: seeded.organization, secret: seeded.secret, reused: false };
}

const db = createDb({ url: config.DATABASE_URL, poolSize: 2, applicationName: 'hearback-demo-seed' });
const DEMO_ADMIN = 'admin@demo.hearback.test';
const { organization, secret, reused, policyKept } = await demoOrganization(db, config)
  .then(async (demo) => {
    // The demo organization sends through the local Postmark server (any token works there).
    const setup = createSendingSetupService({
      db,
      sealer: createSealer(config.ENCRYPTION_KEY),
      defaultStream: config.POSTMARK_MESSAGE_STREAM,
      webhooks: { publicBaseUrl: config.PUBLIC_BASE_URL, user: config.POSTMARK_WEBHOOK_USER, secret: config.POSTMARK_WEBHOOK_PASSWORD },
    });
    if (!(await setup.getPostmark(demo.organization.id)).configured) {
      await setup.setPostmark(
        { organizationId: demo.organization.id, actor: 'cli' },
        { serverToken: 'demo-postmark-server-token', senderEmail: 'talent@demo.hearback.test', senderName: 'Demo Talent Team' },
      );
    }
    // A person to sign in as (without a password: a magic link lands in the local inbox).
    await createUsersService({
      db,
      mailer: { send: () => Promise.reject(new Error('the demo set-up sends nothing')), canSend: async () => false },
      organizations: createOrganizationsService({ db }),
      publicBaseUrl: config.PUBLIC_BASE_URL,
      invitationTtlMs: config.INVITATION_TTL_HOURS * 3_600_000,
    }).ensureAdmin(demo.organization.id, DEMO_ADMIN, 'Demo Admin');
    // An organization seeded by an older demo, or changed since, may keep business hours.
    const current = await createOrganizationsService({ db }).getOrganization(demo.organization.id);
    const policyKept = Object.entries(DEMO_SEND_POLICY).every(([name, value]) => current[name as keyof typeof DEMO_SEND_POLICY] === value);
    return { ...demo, policyKept };
  })
  .finally(() => closeDb(db));

// The recruiter web app at /app: built on first start and after its sources change.
await ensureWebBuilt(console.log);

const postmark = await startPostmarkServer({ port: config.POSTMARK_FAKE_PORT });
// The workers run as their own process, as in production.
const workers = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], { env, stdio: 'inherit' });
await startServer(config, {
  async onClose() {
    workers.kill('SIGTERM');
    await new Promise((resolve) => workers.once('exit', resolve));
    await postmark.close();
  },
});
// The public URL, not the listening address: the page's forms check their origin against it.
const base = config.PUBLIC_BASE_URL.replace(/\/$/, '');

console.log(`
  Hearback demo is running
  ────────────────────────
  API              ${base}   (interactive docs: ${base}/docs)
  Web app          ${base}/app/   sign in as ${DEMO_ADMIN}: the link lands in the inbox below
  Organization     ${organization.name}
  Admin API key    ${secret}
                   ${reused ? `(the same key as last time, kept in ${config.DEMO_KEY_FILE})` : `(new; kept in ${config.DEMO_KEY_FILE}, so the next start shows it again)`}
  Postmark inbox   ${postmark.url}/   every email Hearback sends lands here
  Demo admin       ${DEMO_ADMIN}, a person who signs in without a password:
    curl -c jar -b jar -H 'content-type: application/json' -d '{"email":"${DEMO_ADMIN}"}' ${config.PUBLIC_BASE_URL}/v1/auth/magic-link
    then take the sign-in link from the Postmark inbox, in the same cookie jar (or browser):
    curl -c jar -b jar '<the link>'  &&  curl -b jar ${config.PUBLIC_BASE_URL}/v1/me

  Try it:
    export KEY=${secret}
    curl -s -H "Authorization: Bearer $KEY" ${base}/v1/requisitions
    curl -s -H "Authorization: Bearer $KEY" "${base}/v1/applications?limit=10"
  then plan a decision (README, "A hiring decision, end to end"): hire Amara Okafor and see
  her second record blocked as same_person_as_chosen; approve the rejections and watch them
  arrive in the Postmark inbox a minute later (the demo organization sends at any hour, any
  day, once its one-minute undo window has passed).${
    policyKept
      ? ''
      : `
  Note: this demo organization has another send policy (an older demo, or changed since), so
  messages may wait for business hours. For the demo's: curl -s -X PATCH -H "Authorization: Bearer $KEY" \\
    -H 'content-type: application/json' -d '${JSON.stringify(DEMO_SEND_POLICY)}' ${base}/v1/organization`
  }
  Ports taken? PORT=3100 POSTMARK_FAKE_PORT=3130 npm run demo moves every URL.
  Ctrl-C stops everything.
`);
