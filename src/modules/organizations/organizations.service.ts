// Organizations and their API keys: creation (keys shown once), listing, revocation, and the
// authentication of a presented key.
import type { DbClient, PrismaClient } from '../../db/client.js';
import type { ApiScope } from '../../generated/prisma/enums.js';
import { AppError, conflict, found, notFound, validationFailed } from '../../lib/errors.js';
import { auditRepository } from '../audit/audit.repository.js';
import type { Actor, Authenticated, AuthContext } from '../../lib/actor.js';
import { scopesAboveRole, scopesWithinRole } from '../people/roles.js';
import { formalitySettingsSchema } from '../templates/formality.js';
import { organizationJson, organizationView, type OrganizationPatch } from './organizations.schemas.js';
import { pageRequest, toPage, type PageQuery } from '../../lib/pagination.js';
import { API_KEYS_CHANNEL, type ApiKeyCache } from './api-key-cache.js';
import type { OrganizationCache } from './organization-cache.js';
import { generateApiKeySecret, hashPresentedKey } from './api-key-secret.js';
import { inspectLogo } from './logo-image.js';
import { createHash } from 'node:crypto';
import { organizationsRepository as repo, type ApiKeyRow } from './organizations.repository.js';
import type { SealResponse, WrittenOnce } from '../../lib/idempotency.js';
import { newId } from '../../lib/ids.js';

export interface OrganizationsServiceDeps {
  db: PrismaClient;
  /** The API's in-memory cache of authenticated keys; without it every request asks the database. */
  cache?: ApiKeyCache;
  /** The API's in-memory copy of GET /v1/organization's answer; without it each read asks the database. */
  organizationCache?: OrganizationCache;
  now?: () => Date;
}

export type OrganizationsService = ReturnType<typeof createOrganizationsService>;

/** A new key and its secret, as its creation answers (the secret is shown this once). */
export interface CreatedApiKey {
  apiKey: ApiKeyRow;
  secret: string;
}

export function createOrganizationsService({ db, cache, organizationCache, now = () => new Date() }: OrganizationsServiceDeps) {
  /** A key made whole in the app (id, secret, time), so its response is known before it is written. */
  function makeApiKey(organizationId: string, name: string, scopes: ApiScope[], userId?: string) {
    const { secret, prefix, hash } = generateApiKeySecret();
    const apiKey: ApiKeyRow = {
      id: newId(),
      name,
      prefix,
      scopes,
      createdAt: now(),
      lastUsedAt: null,
      revokedAt: null,
      kind: userId ? 'personal' : 'service',
      userId: userId ?? null,
    };
    return { row: { ...apiKey, organizationId, hash }, created: { apiKey, secret } };
  }

  /** Writes a made key: alone, or (with `seal`, under an Idempotency-Key) with its completed record. */
  async function issueApiKey(organizationId: string, name: string, scopes: ApiScope[], userId?: string, seal?: SealResponse<CreatedApiKey>): Promise<WrittenOnce<CreatedApiKey>> {
    const { row, created } = makeApiKey(organizationId, name, scopes, userId);
    if (seal) {
      const outcome = await repo.insertApiKeyOnce(db, row, seal(created));
      return outcome.kind === 'written' ? { kind: 'written', value: created } : outcome;
    }
    if (!(await repo.insertApiKey(db, row))) throw notFound('Organization');
    return { kind: 'written', value: created };
  }

  async function revoke(organizationId: string, id: string, userId?: string) {
    const revoked = await db.$transaction(async (tx) => {
      const key = await repo.revokeApiKey(tx, organizationId, id, now(), userId);
      // Delivered at commit to every API process, which drop the key from their caches.
      if (key) await repo.notifyKeyChanged(tx, API_KEYS_CHANNEL, key.id);
      return key;
    });
    cache?.invalidate(id);
    return found(revoked, 'API key');
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
      return organizationView(found(await repo.readOrganization(db, organizationId), 'Organization'));
    },

    /**
     * GET /v1/organization's answer as JSON text, from memory when this process holds it: every
     * change to the organization or its logo, by any writer, is forgotten in every API process at
     * its commit (organization-cache.ts).
     */
    async organizationJson(organizationId: string): Promise<string> {
      const cached = organizationCache?.get(organizationId);
      if (cached !== undefined) return cached;
      const ticket = organizationCache?.begin() ?? 0;
      const json = organizationJson(organizationView(found(await repo.readOrganization(db, organizationId), 'Organization')));
      organizationCache?.set(organizationId, json, ticket);
      return json;
    },

    listOrganizations: () => repo.listOrganizations(db),

    async updateOrganization(actor: Actor, patch: OrganizationPatch) {
      // This process reads its own write at once; the others hear the trigger's NOTIFY.
      const updated = await db.$transaction(async (tx) => {
        const before = found(await repo.findOrganization(tx, actor.organizationId), 'Organization');
        const hours = { start: patch.sendHourStart ?? before.sendHourStart, end: patch.sendHourEnd ?? before.sendHourEnd };
        if (hours.start >= hours.end) {
          throw validationFailed([{ path: 'body.sendHourEnd', message: 'sendHourStart must be before sendHourEnd' }]);
        }
        // A formality patch names the languages it changes; the others keep their register.
        const formality = patch.formality ? { ...(formalitySettingsSchema.safeParse(before.formality).data ?? {}), ...patch.formality } : undefined;
        const after = await repo.updateOrganization(tx, actor.organizationId, { ...patch, formality });
        await auditRepository.record(tx, actor, [{ action: 'organization.updated', entity: 'organization', entityId: actor.organizationId, before, after }]);
        return organizationView(after);
      });
      organizationCache?.forget(actor.organizationId);
      return updated;
    },

    /** Stores the logo after reading its type and size from its own bytes (logo-image.ts). */
    async setLogo(actor: Actor, contentType: string | undefined, body: unknown) {
      const { bytes: raw, ...image } = inspectLogo(contentType, body);
      const bytes = new Uint8Array(raw);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const logo = await db.$transaction(async (tx) => {
        const logo = await repo.putLogo(tx, actor.organizationId, { ...image, bytes, sha256 });
        await auditRepository.record(tx, actor, [{ action: 'organization.logo_set', entity: 'organization', entityId: actor.organizationId, after: logo }]);
        return organizationView({ formality: {}, logo }).logo;
      });
      organizationCache?.forget(actor.organizationId);
      return logo;
    },

    async removeLogo(actor: Actor) {
      await db.$transaction(async (tx) => {
        const { count } = await repo.deleteLogo(tx, actor.organizationId);
        if (count > 0) await auditRepository.record(tx, actor, [{ action: 'organization.logo_removed', entity: 'organization', entityId: actor.organizationId }]);
      });
      organizationCache?.forget(actor.organizationId);
    },

    /** The bytes behind a logo path, for anyone: the hash is the name, and a logo is public. */
    logoFile: (sha256: string) => repo.logoBySha256(db, sha256),

    async createApiKey(organizationId: string, name: string, scopes: ApiScope[]): Promise<CreatedApiKey> {
      const { row, created } = makeApiKey(organizationId, name, scopes);
      if (!(await repo.insertApiKey(db, row))) throw notFound('Organization');
      return created;
    },

    /** createApiKey for the route: with `seal`, in one statement with its Idempotency-Key record. */
    createApiKeyOnce: (organizationId: string, name: string, scopes: ApiScope[], seal: SealResponse<CreatedApiKey> | undefined) =>
      issueApiKey(organizationId, name, scopes, undefined, seal),

    async listApiKeys(organizationId: string, query: PageQuery) {
      const page = pageRequest(query);
      return toPage(await repo.listApiKeys(db, organizationId, page), page);
    },

    async getApiKey(organizationId: string, id: string) {
      return found(await repo.findApiKey(db, organizationId, id), 'API key');
    },

    revokeApiKey: (organizationId: string, id: string) => revoke(organizationId, id),

    /** A key that acts as the calling person, with at most their role's scopes (with `seal`, as createApiKeyOnce). */
    async createPersonalKey(auth: AuthContext, name: string, scopes: ApiScope[], seal?: SealResponse<CreatedApiKey>) {
      const { userId, role } = personOf(auth);
      const above = scopesAboveRole(scopes, role);
      if (above.length > 0) {
        throw new AppError('insufficient_scope', `Your role (${role}) does not grant ${above.join(', ')}`, { extensions: { requiredScope: above[0] } });
      }
      return issueApiKey(auth.organizationId, name, scopes, userId, seal);
    },

    /** The caller's personal keys (a service key has none). */
    async listPersonalKeys(auth: AuthContext, query: PageQuery) {
      const page = pageRequest(query);
      return auth.userId ? toPage(await repo.listApiKeys(db, auth.organizationId, page, auth.userId), page) : { data: [], nextCursor: null };
    },

    async revokePersonalKey(auth: AuthContext, id: string) {
      if (!auth.userId) throw notFound('API key');
      return revoke(auth.organizationId, id, auth.userId);
    },

    /**
     * In the caller's transaction: every API process forgets this person's keys at commit, so a
     * deactivation or a role change applies to their next request.
     */
    async forgetKeysOf(tx: DbClient, userId: string) {
      const ids = await repo.apiKeyIdsOf(tx, userId);
      for (const id of ids) {
        await repo.notifyKeyChanged(tx, API_KEYS_CHANNEL, id);
        cache?.invalidate(id);
      }
    },

    /** Resolves a presented bearer token to its organization and scopes, or throws a 401. */
    async authenticate(presented: string | undefined): Promise<Authenticated> {
      if (!presented) throw new AppError('missing_api_key', 'Send your API key as `Authorization: Bearer hb_live_...`');
      const hash = hashPresentedKey(presented);
      if (!hash) throw new AppError('invalid_api_key', 'The API key is not valid');
      let known = cache?.get(hash);
      if (!known) {
        const ticket = cache?.begin() ?? 0;
        const key = await repo.findApiKeyByHash(db, hash);
        if (!key) throw new AppError('invalid_api_key', 'The API key is not valid');
        if (key.revokedAt) throw new AppError('api_key_revoked', 'The API key has been revoked; create a new one');
        if (key.kind === 'personal' && (!key.user || key.user.deactivatedAt)) {
          throw new AppError('api_key_revoked', 'The API key belongs to a deactivated user');
        }
        const person = key.kind === 'personal' && key.user ? key.user : null;
        known = {
          apiKeyId: key.id,
          auth: {
            organizationId: key.organizationId,
            apiKeyId: key.id,
            sessionId: null,
            userId: person?.id ?? null,
            role: person?.role ?? null,
            scopes: person ? scopesWithinRole(key.scopes, person.role) : key.scopes,
          },
          lastUsedAt: key.lastUsedAt,
        };
        cache?.set(hash, known, ticket);
      }
      const at = now();
      if (!known.lastUsedAt || at.getTime() - known.lastUsedAt.getTime() > 60_000) {
        known.lastUsedAt = at;
        // Bookkeeping only: a failure here must not fail the request.
        void repo.touchApiKey(db, known.apiKeyId, at).catch(() => {});
      }
      return known.auth;
    },
  };
}

function personOf(auth: AuthContext) {
  if (!auth.userId || !auth.role) throw conflict('A service key acts for no person: sign in, or use one of your personal keys, to make a personal key');
  return { userId: auth.userId, role: auth.role };
}
