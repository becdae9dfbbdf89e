// Organizations and their API keys: creation (keys shown once), listing, revocation, and the
// authentication of a presented key.
import type { PrismaClient } from '../../db/client.js';
import type { ApiScope } from '../../generated/prisma/enums.js';
import { AppError, found, notFound } from '../../lib/errors.js';
import { pageRequest, toPage, type PageQuery } from '../../lib/pagination.js';
import { generateApiKeySecret, hashPresentedKey } from './api-key-secret.js';
import { organizationsRepository as repo } from './organizations.repository.js';

export interface AuthContext {
  organizationId: string;
  apiKeyId: string;
  scopes: readonly ApiScope[];
}

export interface OrganizationsServiceDeps {
  db: PrismaClient;
  now?: () => Date;
}

export type OrganizationsService = ReturnType<typeof createOrganizationsService>;

export function createOrganizationsService({ db, now = () => new Date() }: OrganizationsServiceDeps) {
  async function issueApiKey(organizationId: string, name: string, scopes: ApiScope[]) {
    const { secret, prefix, hash } = generateApiKeySecret();
    const apiKey = await repo.createApiKey(db, { organizationId, name, prefix, hash, scopes });
    return { apiKey, secret };
  }

  return {
    /** A new organization and its first key, with every scope (admin). */
    async createOrganization(name: string, keyName = 'Initial admin key') {
      return db.$transaction(async (tx) => {
        const organization = await repo.createOrganization(tx, name);
        const { secret, prefix, hash } = generateApiKeySecret();
        const apiKey = await repo.createApiKey(tx, { organizationId: organization.id, name: keyName, prefix, hash, scopes: ['admin'] });
        return { organization, apiKey, secret };
      });
    },

    async getOrganization(organizationId: string) {
      return found(await repo.findOrganization(db, organizationId), 'Organization');
    },

    listOrganizations: () => repo.listOrganizations(db),

    async createApiKey(organizationId: string, name: string, scopes: ApiScope[]) {
      if (!(await repo.findOrganization(db, organizationId))) throw notFound('Organization');
      return issueApiKey(organizationId, name, scopes);
    },

    async listApiKeys(organizationId: string, query: PageQuery) {
      const page = pageRequest(query);
      return toPage(await repo.listApiKeys(db, organizationId, page), page);
    },

    async getApiKey(organizationId: string, id: string) {
      return found(await repo.findApiKey(db, organizationId, id), 'API key');
    },

    async revokeApiKey(organizationId: string, id: string) {
      return found(await repo.revokeApiKey(db, organizationId, id, now()), 'API key');
    },

    /** Resolves a presented bearer token to its organization and scopes, or throws a 401. */
    async authenticate(presented: string | undefined): Promise<AuthContext> {
      if (!presented) throw new AppError('missing_api_key', 'Send your API key as `Authorization: Bearer hb_live_...`');
      const hash = hashPresentedKey(presented);
      const key = hash ? await repo.findApiKeyByHash(db, hash) : null;
      if (!key) throw new AppError('invalid_api_key', 'The API key is not valid');
      if (key.revokedAt) throw new AppError('api_key_revoked', 'The API key has been revoked; create a new one');
      const at = now();
      if (!key.lastUsedAt || at.getTime() - key.lastUsedAt.getTime() > 60_000) {
        // Bookkeeping only: a failure here must not fail the request.
        void repo.touchApiKey(db, key.id, at).catch(() => {});
      }
      return { organizationId: key.organizationId, apiKeyId: key.id, scopes: key.scopes };
    },
  };
}

export function hasScope(auth: AuthContext, scope: ApiScope): boolean {
  return auth.scopes.includes(scope) || auth.scopes.includes('admin');
}
