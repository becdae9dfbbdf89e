// Admin CLI: `npm run hearback -- <command> [options]`. For bootstrapping an organization and
// its first key, and for the operator's emergency revocation; everything else is the API.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../config.js';
import { closeDb, createDb } from '../db/client.js';
import { apiScopeSchema } from '../modules/organizations/organizations.schemas.js';
import { createOrganizationsService } from '../modules/organizations/organizations.service.js';

const usage = `usage: npm run hearback -- <command> [options] [--json]

  create-org  --name NAME [--key-name NAME]     an organization and its first admin key
  create-key  --org ID --name NAME --scopes S   S: comma-separated read,write,approve,override,admin
  revoke-key  --org ID --key ID
  list-orgs`;

const options = {
  name: { type: 'string' },
  'key-name': { type: 'string' },
  org: { type: 'string' },
  key: { type: 'string' },
  scopes: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const;

const required = (value: string | undefined, flag: string): string => {
  if (!value) throw new UsageError(`--${flag} is required`);
  return value;
};
const uuid = (value: string | undefined, flag: string): string => {
  const parsed = z.uuid().safeParse(required(value, flag));
  if (!parsed.success) throw new UsageError(`--${flag} must be an id (UUID)`);
  return parsed.data;
};

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [command] = positionals;
  if (values.help || !command) {
    console.log(usage);
    return command || values.help ? 0 : 2;
  }
  const config = loadConfig(process.env);
  const db = createDb({ url: config.DATABASE_URL, poolSize: 2, applicationName: 'hearback-cli' });
  const organizations = createOrganizationsService({ db });
  const print = (human: string, data: unknown) => console.log(values.json ? JSON.stringify(data, null, 2) : human);
  try {
    switch (command) {
      case 'create-org': {
        const name = z.string().trim().min(1).max(200).parse(required(values.name, 'name'));
        const { organization, apiKey, secret } = await organizations.createOrganization(name, values['key-name']);
        print(`organization ${organization.id} "${organization.name}"\nadmin API key (shown once, store it now):\n  ${secret}`, { organization, apiKey, secret });
        return 0;
      }
      case 'create-key': {
        const scopes = z
          .array(apiScopeSchema)
          .min(1)
          .safeParse(
            required(values.scopes, 'scopes')
              .split(',')
              .map((s) => s.trim()),
          );
        if (!scopes.success) throw new UsageError('--scopes must be a comma-separated list of read,write,approve,override,admin');
        const name = z.string().trim().min(1).max(200).parse(required(values.name, 'name'));
        const { apiKey, secret } = await organizations.createApiKey(uuid(values.org, 'org'), name, scopes.data);
        print(`API key ${apiKey.id} [${apiKey.scopes.join(', ')}] (shown once):\n  ${secret}`, { apiKey, secret });
        return 0;
      }
      case 'revoke-key': {
        const apiKey = await organizations.revokeApiKey(uuid(values.org, 'org'), uuid(values.key, 'key'));
        print(`revoked ${apiKey.id} at ${apiKey.revokedAt?.toISOString()}`, { apiKey });
        return 0;
      }
      case 'list-orgs': {
        const all = await organizations.listOrganizations();
        print(all.map((o) => `${o.id}  ${o.name}`).join('\n') || '(no organizations)', all);
        return 0;
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } finally {
    await closeDb(db);
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError) console.error(`hearback: ${error.message}\n\n${usage}`);
    else console.error(`hearback: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
