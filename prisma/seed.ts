// `npm run db:seed`: the demo organization, and a fresh admin API key for it on every run
// (keys are stored hashed, so an earlier one cannot be shown again).
import { loadConfig } from '../src/config.js';
import { createDb, type PrismaClient } from '../src/db/client.js';
import { createOrganizationsService } from '../src/modules/organizations/organizations.service.js';
import { isMain } from '../src/lib/is-main.js';

export const DEMO_ORGANIZATION = 'Northwind Talent (demo)';

export async function seedDemo(db: PrismaClient) {
  const organizations = createOrganizationsService({ db });
  const existing = (await organizations.listOrganizations()).find((o) => o.name === DEMO_ORGANIZATION);
  if (!existing) return organizations.createOrganization(DEMO_ORGANIZATION, 'Demo admin key');
  const { apiKey, secret } = await organizations.createApiKey(existing.id, `Demo admin key ${new Date().toISOString()}`, ['admin']);
  return { organization: existing, apiKey, secret };
}

if (isMain(import.meta.url)) {
  const config = loadConfig(process.env);
  const db = createDb({ url: config.DATABASE_URL, poolSize: 2, applicationName: 'hearback-seed' });
  try {
    const { organization, secret } = await seedDemo(db);
    console.log(`organization ${organization.id} "${organization.name}"\nadmin API key (shown once): ${secret}`);
  } finally {
    await db.$disconnect();
  }
}
