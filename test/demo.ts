// `npm run demo`: everything a newcomer needs to try Hearback on one machine — migrates the
// database, seeds the demo organization (printing its API key), starts the local
// Postmark-compatible server (its inbox page shows every email Hearback sends), the API and
// the workers. Ctrl-C stops it all. It lives in test/ because it runs the Postmark fake.
import { spawn } from 'node:child_process';
import { loadConfig } from '../src/config.js';
import { createDb } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrations.js';
import { createSealer } from '../src/lib/crypto.js';
import { createSendingSetupService } from '../src/modules/delivery/sending-setup.service.js';
import { createOrganizationsService } from '../src/modules/organizations/organizations.service.js';
import { createUsersService } from '../src/modules/people/users.service.js';
import { startServer } from '../src/server.js';
import { seedDemo } from '../prisma/seed.js';
import { startPostmarkServer } from './postmark/server.js';

const POSTMARK_PORT = Number(process.env.POSTMARK_FAKE_PORT ?? 3030);
const env = { POSTMARK_API_URL: `http://127.0.0.1:${POSTMARK_PORT}`, ...process.env };
const config = loadConfig(env);

const applied = await applyMigrations(config.DATABASE_URL);
console.log(applied.length ? `database migrated: ${applied.join(', ')}` : 'database is up to date');

const db = createDb({ url: config.DATABASE_URL, poolSize: 2, applicationName: 'hearback-demo-seed' });
const DEMO_ADMIN = 'admin@demo.hearback.test';
const { organization, secret } = await seedDemo(db)
  .then(async (seeded) => {
    // The demo organization sends through the local Postmark server (any token works there).
    const setup = createSendingSetupService({
      db,
      sealer: createSealer(config.ENCRYPTION_KEY),
      defaultStream: config.POSTMARK_MESSAGE_STREAM,
      webhooks: { publicBaseUrl: config.PUBLIC_BASE_URL, user: config.POSTMARK_WEBHOOK_USER, secret: config.POSTMARK_WEBHOOK_PASSWORD },
    });
    if (!(await setup.getPostmark(seeded.organization.id)).configured) {
      await setup.setPostmark({ organizationId: seeded.organization.id, actor: 'cli' }, { serverToken: 'demo-postmark-server-token', senderEmail: 'talent@demo.hearback.test', senderName: 'Demo Talent Team' });
    }
    // A person to sign in as (without a password: a magic link lands in the local inbox).
    await createUsersService({
      db,
      mailer: { send: () => Promise.reject(new Error('the demo set-up sends nothing')), canSend: async () => false },
      organizations: createOrganizationsService({ db }),
      publicBaseUrl: config.PUBLIC_BASE_URL,
      invitationTtlMs: config.INVITATION_TTL_HOURS * 3_600_000,
    }).ensureAdmin(seeded.organization.id, DEMO_ADMIN, 'Demo Admin');
    return seeded;
  })
  .finally(() => db.$disconnect());

const postmark = await startPostmarkServer({ port: POSTMARK_PORT });
// The workers run as their own process, as in production.
const workers = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], { env, stdio: 'inherit' });
await startServer(config, {
  async onClose() {
    workers.kill('SIGTERM');
    await new Promise((resolve) => workers.once('exit', resolve));
    await postmark.close();
  },
});
const base = `http://${config.HOST}:${config.PORT}`;

console.log(`
  Hearback demo is running
  ────────────────────────
  API              ${base}   (interactive docs: ${base}/docs)
  Organization     ${organization.name}
  Admin API key    ${secret}
                   (shown once; \`npm run db:seed\` makes another)
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
  arrive in the Postmark inbox once the undo window has passed.
  Ctrl-C stops everything.
`);
