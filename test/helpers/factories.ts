import type { Deps } from '../../src/deps.js';
import type { ApiScope } from '../../src/generated/prisma/enums.js';

export interface TestOrganization {
  id: string;
  adminKey: string;
  /** A new key of this organization with exactly these scopes. */
  key(scopes: ApiScope[]): Promise<string>;
}

let counter = 0;

export async function createOrganization(deps: Deps, name = `Org ${++counter}`): Promise<TestOrganization> {
  const { organization, secret } = await deps.organizations.createOrganization(name);
  return {
    id: organization.id,
    adminKey: secret,
    key: async (scopes) => (await deps.organizations.createApiKey(organization.id, `key ${scopes.join('+')}`, scopes)).secret,
  };
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
