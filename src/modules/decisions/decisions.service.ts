// Decisions as facts: an ATS or a person records that a candidate was hired, offered, rejected,
// advanced, un-rejected... The application follows, and the confirmation checks read the latest
// decision of each application ("a newer positive decision").
import { recordNotifications } from '../notifications/notifications.record.js';
import type { DbClient, PrismaClient } from '../../db/client.js';
import type { ApplicationStatus } from '../../generated/prisma/enums.js';
import { AppError } from '../../lib/errors.js';
import type { Actor } from '../../lib/actor.js';
import { externalIdsRepository } from '../hiring/external-ids.repository.js';
import type { MessageLifecycle } from '../messages/lifecycle.js';
import { decisionsRepository } from './decisions.repository.js';
import type { RecordDecisionBody } from './decisions.schemas.js';
import { recheckMessages } from './recheck.js';

const STATUS_AFTER: Partial<Record<RecordDecisionBody['kind'], ApplicationStatus>> = {
  hire: 'hired',
  offer: 'offered',
  offer_accepted: 'hired',
  offer_declined: 'withdrawn',
  reject: 'rejected',
  withdraw: 'withdrawn',
  unreject: 'active',
};

export type DecisionsService = ReturnType<typeof createDecisionsService>;

export interface DecisionsServiceDeps {
  db: PrismaClient;
  /** A hire or an offer holds, at once, the approved messages the checks now stop. */
  messageLifecycle: Pick<MessageLifecycle, 'holdWhereChecksFail' | 'releaseOfferHolds' | 'cancelOfferHolds'>;
  now?: () => Date;
}

/** Decisions after which another candidate's rejection may have to wait for a person. */
const POSITIVE = new Set<RecordDecisionBody['kind']>(['hire', 'offer', 'offer_accepted']);

export function createDecisionsService({ db, messageLifecycle: messages, now = () => new Date() }: DecisionsServiceDeps) {
  return {
    /** The confirmation checks over confirmed plans' messages, as the facts are now (at send time). */
    recheck: recheckMessages,

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
      if (POSITIVE.has(body.kind)) await messages.holdWhereChecksFail(tx, actor.organizationId, { applicationIds: [applicationId] }, now());
      // The runner-ups wait for the chosen candidate's answer to the offer.
      if (body.kind === 'offer_accepted' || body.kind === 'hire') await messages.releaseOfferHolds(tx, actor, applicationId, now());
      if (body.kind === 'offer_declined' || body.kind === 'withdraw') {
        const cancelled = await messages.cancelOfferHolds(tx, actor, applicationId, now());
        // The runner-ups were not told anything: the requisition's people choose again.
        if (cancelled > 0) {
          await recordNotifications(tx, actor.organizationId, [
            {
              type: 'offer_declined',
              subjectKind: 'application',
              subjectId: applicationId,
              requisitionId: recorded.requisitionId,
              detail: { count: cancelled, kind: body.kind },
              audience: { requisitionId: recorded.requisitionId },
            },
          ]);
        }
      }
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
