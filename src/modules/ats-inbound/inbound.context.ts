// What the mappers need beyond the payload, and where it comes from. Lever payloads carry
// archive-reason and stage ids only: their meaning is in the connection's settings, which an
// admin pastes from Lever's API (checked here, per provider). Ashby payloads show an
// application's status now, not before: whether Hearback held it as rejected is looked up.
import type { DbClient } from '../../db/client.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { validationFailed } from '../../lib/errors.js';
import { applicationsRepository } from '../hiring/applications.repository.js';
import { externalIdsRepository } from '../hiring/external-ids.repository.js';
import type { AshbyContext } from './providers/ashby.js';
import { leverContextOf, type LeverContext, type LeverSettings, leverSettingsSchema } from './providers/lever.js';
import { inboundRepository } from './inbound.repository.js';
import type { Provider } from './inbound.schemas.js';

/**
 * The settings a connection of this provider keeps, or validation_failed naming the field. Only
 * Lever has any; the route's schema has already checked their shape.
 */
export function settingsFor(provider: Provider, settings: Record<string, unknown>): Prisma.InputJsonObject {
  if (provider === 'lever') {
    const parsed = leverSettingsSchema.safeParse(settings);
    if (!parsed.success) {
      throw validationFailed(parsed.error.issues.map((issue) => ({ path: ['body.settings', ...issue.path.map(String)].join('.'), message: issue.message })));
    }
    return parsed.data;
  }
  const keys = Object.keys(settings);
  if (keys.length > 0) {
    throw validationFailed(
      keys.map((key) => ({ path: `body.settings.${key}`, message: `${provider} connections take no settings` })),
      `A ${provider} connection takes no settings: send {} or leave settings out`,
    );
  }
  return {};
}

/**
 * A connection's stored settings, parsed with the schema settingsFor wrote them with (every
 * provider's settings are a subset of Lever's: `{}` for the others).
 */
export const storedSettings = (settings: unknown): LeverSettings => leverSettingsSchema.parse(settings);

/**
 * The Lever mapper's context from stored settings. Settings that no longer parse count as none:
 * an archive is then ignored, never guessed.
 */
export function leverContextFromStored(settings: unknown): LeverContext {
  const parsed = leverSettingsSchema.safeParse(settings);
  return parsed.success ? leverContextOf(parsed.data) : {};
}

/**
 * Whether Hearback holds the Ashby application as archived: rejected or withdrawn, or with a
 * rejection on its way (a message not sent yet, or a plan item awaiting confirmation — what an
 * Archived applicationUpdate becomes).
 */
export async function ashbyContext(db: DbClient, organizationId: string, applicationExternalId: string | null, now: Date): Promise<AshbyContext> {
  if (applicationExternalId === null) return { wasArchived: false };
  const id = await externalIdsRepository.resolve(db, organizationId, 'application', { source: 'ashby', id: applicationExternalId });
  const application = id === null ? null : await applicationsRepository.find(db, organizationId, id);
  if (!application) return { wasArchived: false };
  if (application.status === 'rejected' || application.status === 'withdrawn') return { wasArchived: true };
  return {
    wasArchived:
      (await inboundRepository.pendingRejectionMessage(db, organizationId, application.id)) || (await inboundRepository.pendingRejectionPlan(db, organizationId, application, now)),
  };
}
