// Decisions as facts: an ATS or a person records that a candidate was hired, offered, rejected,
// advanced, un-rejected... The application follows, and the confirmation checks read the latest
// decision of each application ("a newer positive decision").
import type { DbClient, PrismaClient } from '../../db/client.js';
import type { ApplicationStatus } from '../../generated/prisma/enums.js';
import { AppError } from '../../lib/errors.js';
import type { Actor } from '../../lib/actor.js';
import { externalIdsRepository } from '../hiring/external-ids.repository.js';
import { decisionsRepository } from './decisions.repository.js';
import type { RecordDecisionBody } from './decisions.schemas.js';

const STATUS_AFTER: Partial<Record<RecordDecisionBody['kind'], ApplicationStatus>> = {
  hire: 'hired',
  offer: 'offered',
  reject: 'rejected',
  withdraw: 'withdrawn',
  unreject: 'active',
};

export type DecisionsService = ReturnType<typeof createDecisionsService>;

export function createDecisionsService({ db, now = () => new Date() }: { db: PrismaClient; now?: () => Date }) {
  return {
    /** One statement, one round trip: this is the path an ATS calls for every decision. `tx`: the caller's transaction. */
    async record(actor: Actor, body: RecordDecisionBody, tx: DbClient = db) {
      const unknown = () =>
        new AppError('validation_failed', 'The application referenced does not exist in this organization', {
          errors: [{ path: 'body.application', message: 'no such application' }],
        });
      const applicationId =
        'id' in body.application
          ? body.application.id
          : await externalIdsRepository.resolve(tx, actor.organizationId, 'application', { source: body.application.source, id: body.application.externalId });
      if (!applicationId) throw unknown();
      const statusAfter = STATUS_AFTER[body.kind] ?? null;
      const recorded = await decisionsRepository.recordDecision(tx, actor, {
        applicationId,
        kind: body.kind,
        source: body.source,
        occurredAt: body.occurredAt ?? now(),
        statusAfter,
      });
      if (!recorded) throw unknown();
      return {
        id: recorded.id,
        applicationId,
        kind: body.kind,
        source: body.source,
        occurredAt: recorded.occurredAt,
        applicationStatus: recorded.statusChanged && statusAfter ? statusAfter : recorded.statusBefore,
      };
    },
  };
}
