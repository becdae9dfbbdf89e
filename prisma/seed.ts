// `npm run db:seed`: the demo organization with a requisition and its candidates (one of them
// twice, under a differently-cased email: the classic cause of the wrong email), and a fresh
// admin API key on every run (keys are stored hashed, so an earlier one cannot be shown again).
import { loadConfig } from '../src/config.js';
import { closeDb, createDb, type PrismaClient } from '../src/db/client.js';
import { isMain } from '../src/lib/is-main.js';
import { messageLifecycle } from '../src/modules/messages/lifecycle.js';
import { createHiringService } from '../src/modules/hiring/hiring.service.js';
import { transactionalMail } from '../src/modules/delivery/transactional.js';
import { createOrganizationsService } from '../src/modules/organizations/organizations.service.js';

export const DEMO_ORGANIZATION = 'Northwind Talent (demo)';

/**
 * The demo organization sends at any hour of any day, right after its interviews, once a
 * one-minute undo window has passed: whoever tries the demo, whenever, watches the whole flow
 * (a real organization keeps business hours; see PATCH /v1/organization).
 */
export const DEMO_SEND_POLICY = { undoWindowMinutes: 1, sendHourStart: 0, sendHourEnd: 24, sendWeekdaysOnly: false, hoursAfterInterview: 0 } as const;

const demoCandidates = [
  { name: 'Amara Okafor', emails: ['amara.okafor@example.com'], locale: 'en', id: 'demo-c-1' },
  { name: 'Amara Okafor', emails: ['Amara.Okafor@Example.com'], locale: 'en', id: 'demo-c-2' },
  { name: 'Lucas Moreau', emails: ['lucas.moreau@example.fr'], locale: 'fr', id: 'demo-c-3' },
  { name: 'Sofia Becker', emails: ['sofia.becker@example.de'], locale: 'de', id: 'demo-c-4' },
  { name: 'Diego Ruiz', emails: ['diego.ruiz@example.es'], locale: 'es', id: 'demo-c-5' },
];

export async function seedDemo(db: PrismaClient) {
  const organizations = createOrganizationsService({ db });
  const existing = (await organizations.listOrganizations()).find((o) => o.name === DEMO_ORGANIZATION);
  if (existing) {
    const { apiKey, secret } = await organizations.createApiKey(existing.id, `Demo admin key ${new Date().toISOString()}`, ['admin']);
    return { organization: existing, apiKey, secret };
  }
  const created = await organizations.createOrganization(DEMO_ORGANIZATION, 'Demo admin key');
  await organizations.updateOrganization({ organizationId: created.organization.id, actor: 'cli' }, DEMO_SEND_POLICY);
  // The same create-or-update path the API uses, by external id: re-running changes nothing.
  await createHiringService({ db, messageLifecycle, mail: transactionalMail }).bulkUpsert(
    { organizationId: created.organization.id, actor: 'cli' },
    {
      requisitions: [{ title: 'Senior Backend Engineer', department: 'Platform', location: 'Remote (EU)', externalIds: [{ source: 'demo', id: 'demo-req-1' }] }],
      candidates: demoCandidates.map(({ id, ...candidate }) => ({ ...candidate, externalIds: [{ source: 'demo', id }] })),
      applications: demoCandidates.map(({ id }) => ({
        candidate: { source: 'demo', externalId: id },
        requisition: { source: 'demo', externalId: 'demo-req-1' },
        stage: 'Final interview',
        externalIds: [],
      })),
    },
  );
  return created;
}

if (isMain(import.meta.url)) {
  const config = loadConfig(process.env);
  const db = createDb({ url: config.DATABASE_URL, poolSize: 2, applicationName: 'hearback-seed' });
  try {
    const { organization, secret } = await seedDemo(db);
    console.log(`organization ${organization.id} "${organization.name}"\nadmin API key (shown once): ${secret}`);
  } finally {
    await closeDb(db);
  }
}
