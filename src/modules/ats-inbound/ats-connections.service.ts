// ATS connections: what an admin sets up before an ATS can deliver. A connection is a webhook URL
// of its own, the secret the provider signs with (sealed at rest, shown once), and what the
// provider's payloads leave out (Lever's archive reasons and stages). What arrives through it is
// received and applied by inbound.service.ts.
import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '../../db/client.js';
import type { Sealer } from '../../lib/crypto.js';
import { AppError, found } from '../../lib/errors.js';
import { pageRequest, toPage, type PageQuery } from '../../lib/pagination.js';
import { auditRepository } from '../audit/audit.repository.js';
import type { Actor } from '../../lib/actor.js';
import { generateSecret } from '../webhook-signatures/standard-webhooks.js';
import { importStateSchema, reasonMapSchema, webhookRegistrationsSchema } from '../ats-writeback/writeback.schemas.js';
import type { AtsWebhooksService } from '../ats-writeback/webhooks.service.js';
import { settingsFor, storedSettings } from './inbound.context.js';
import { inboundRepository, type ConnectionRow } from './inbound.repository.js';
// Types only: the schemas register their OpenAPI components where the routes import them.
import type { CreateConnectionBody, Provider, UpdateConnectionBody } from './inbound.schemas.js';

export type AtsConnectionsService = ReturnType<typeof createAtsConnectionsService>;

/** The webhooks registered in the ATS, as the API shows them. */
function webhooksView(raw: unknown) {
  const state = webhookRegistrationsSchema.safeParse(raw).data;
  if (!state) return null;
  const { status, requestedAt, error, errorAt, types } = state;
  // Field by field: a type's signing token (Lever) is a credential and never leaves.
  return { status, requestedAt, error, errorAt, types: Object.entries(types).map(([type, { state, webhookId, at }]) => ({ type, state, webhookId, at })) };
}

export function createAtsConnectionsService(deps: {
  db: PrismaClient;
  sealer: Sealer;
  publicBaseUrl: string;
  /** What was registered in the ATS through its API is deleted before the connection goes. */
  webhooks?: Pick<AtsWebhooksService, 'unregister'>;
}) {
  const { db, sealer, publicBaseUrl, webhooks } = deps;
  const view = ({
    verifiedAt,
    lastError,
    lastErrorAt,
    reasonMap,
    consecutiveFailures,
    circuitOpenUntil,
    importState,
    lastImportAt,
    lastReconciledAt,
    webhookRegistrations,
    ...c
  }: ConnectionRow) => ({
    ...c,
    provider: c.provider as Provider,
    settings: storedSettings(c.settings),
    url: new URL(`/webhooks/ats/${c.id}`, publicBaseUrl).toString(),
    api: {
      verified: verifiedAt !== null,
      verifiedAt,
      lastError,
      lastErrorAt,
      reasonMap: reasonMapSchema.safeParse(reasonMap).data ?? {},
      // With credentials and nothing mapped, the first sent rejection's write-back would fail: said before it is sent.
      reasonMapMissing: verifiedAt !== null && Object.keys(reasonMapSchema.safeParse(reasonMap).data ?? {}).length === 0,
      circuit: circuitOpenUntil === null ? ('closed' as const) : circuitOpenUntil > new Date() ? ('open' as const) : ('half_open' as const),
      circuitOpenUntil,
      consecutiveFailures,
      import: importStateSchema.safeParse(importState).data ?? null,
      lastImportAt,
      lastReconciledAt,
      webhooks: webhooksView(webhookRegistrations),
    },
  });

  return {
    async createConnection(actor: Actor, input: CreateConnectionBody) {
      // Greenhouse and Ashby take a secret we can make; Lever shows its own token to paste here.
      const secret = input.secret ?? (input.provider === 'generic' ? generateSecret() : randomBytes(24).toString('base64url'));
      if (input.provider === 'lever' && !input.secret)
        throw new AppError('validation_failed', 'Lever makes the signature token: paste it as `secret`', { errors: [{ path: 'body.secret', message: 'required for lever' }] });
      const settings = settingsFor(input.provider, input.settings ?? {});
      return db.$transaction(async (tx) => {
        const connection = await inboundRepository.createConnection(tx, {
          organizationId: actor.organizationId,
          provider: input.provider,
          name: input.name,
          secret: sealer.seal(secret),
          settings,
        });
        await auditRepository.record(tx, actor, [
          { action: 'ats_connection.created', entity: 'organization', entityId: actor.organizationId, after: { connectionId: connection.id, provider: input.provider } },
        ]);
        return { connection: view(connection), secret };
      });
    },

    async getConnection(organizationId: string, id: string) {
      return view(found(await inboundRepository.findConnection(db, organizationId, id), 'ATS connection'));
    },

    async listConnections(organizationId: string, query: PageQuery) {
      const page = pageRequest(query);
      return toPage((await inboundRepository.listConnections(db, organizationId, page)).map(view), page);
    },

    /** Renames, enables or disables a connection, or replaces its settings (checked for its provider). */
    async updateConnection(actor: Actor, id: string, input: UpdateConnectionBody) {
      return db.$transaction(async (tx) => {
        const before = found(await inboundRepository.findConnection(tx, actor.organizationId, id), 'ATS connection');
        const settings = input.settings === undefined ? undefined : settingsFor(before.provider as Provider, input.settings);
        const data = {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
          ...(settings !== undefined ? { settings } : {}),
        };
        const after = await inboundRepository.updateConnection(tx, id, data);
        const changed = Object.keys(data) as (keyof typeof data)[];
        await auditRepository.record(tx, actor, [
          {
            action: 'ats_connection.updated',
            entity: 'organization',
            entityId: actor.organizationId,
            before: { connectionId: id, ...Object.fromEntries(changed.map((key) => [key, before[key]])) },
            after: { connectionId: id, ...Object.fromEntries(changed.map((key) => [key, after[key]])) },
          },
        ]);
        return view(after);
      });
    },

    async deleteConnection(actor: Actor, id: string) {
      found(await inboundRepository.findConnection(db, actor.organizationId, id), 'ATS connection');
      // An ATS that does not answer stops the removal (502): nothing stays registered to a URL that is gone.
      const { left } = (await webhooks?.unregister(id)) ?? { left: [] };
      await db.$transaction(async (tx) => {
        await inboundRepository.deleteConnection(tx, id);
        if (left.length > 0) {
          await auditRepository.record(tx, actor, [
            { action: 'ats_connection.deleted', entity: 'organization', entityId: actor.organizationId, after: { connectionId: id, webhooksLeftInAts: left } },
          ]);
        }
      });
    },
  };
}
