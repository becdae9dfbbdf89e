// SQL of the webhooks registered in an ATS through its API: the connection's
// `webhook_registrations` (see prisma/schema.prisma), changed one key at a time, so a run
// recording a type and a new registration queued beside it never overwrite each other.
import type { DbClient } from '../../db/client.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { WebhookRegistrations, WebhookTypeState } from './writeback.schemas.js';

export const webhooksRepository = {
  registrations: async (db: DbClient, id: string) => (await db.atsConnection.findUnique({ where: { id }, select: { webhookRegistrations: true } }))?.webhookRegistrations ?? null,

  /** Replaces the whole state (a registration starting); null forgets it (credentials removed). */
  replace: (db: DbClient, id: string, state: WebhookRegistrations | null) =>
    db.atsConnection.update({ where: { id }, data: { webhookRegistrations: state === null ? Prisma.DbNull : state }, select: { id: true } }),

  /** Sets top-level keys (status, error, tries, claimedUntil), the types untouched. */
  patch: (db: DbClient, id: string, patch: Partial<Omit<WebhookRegistrations, 'types'>>) =>
    db.$executeRaw`UPDATE ats_connections SET webhook_registrations = webhook_registrations || ${JSON.stringify(patch)}::jsonb WHERE id = ${id}::uuid AND webhook_registrations IS NOT NULL`,

  /** One type's state; null removes it (nothing registered for it). */
  setType: (db: DbClient, id: string, type: string, entry: WebhookTypeState | null) =>
    entry === null
      ? db.$executeRaw`UPDATE ats_connections SET webhook_registrations = webhook_registrations #- ARRAY['types', ${type}]::text[] WHERE id = ${id}::uuid AND webhook_registrations IS NOT NULL`
      : db.$executeRaw`UPDATE ats_connections SET webhook_registrations = jsonb_set(webhook_registrations, ARRAY['types', ${type}]::text[], ${JSON.stringify(entry)}::jsonb) WHERE id = ${id}::uuid AND webhook_registrations IS NOT NULL`,

  /** Holds the registration until `until` unless another run holds it now; true when this caller won. */
  async claim(db: DbClient, id: string, now: Date, until: Date): Promise<boolean> {
    const won = await db.$executeRaw`
      UPDATE ats_connections SET webhook_registrations = jsonb_set(webhook_registrations, '{claimedUntil}', to_jsonb(${until.toISOString()}::text))
      WHERE id = ${id}::uuid AND webhook_registrations IS NOT NULL AND coalesce(webhook_registrations->>'claimedUntil', '') < ${now.toISOString()}`;
    return won === 1;
  },
};
