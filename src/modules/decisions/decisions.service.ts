// Decisions as facts: an ATS or a person records that a candidate was hired, offered, rejected,
// advanced, un-rejected... The application follows, and the confirmation checks read the latest
// decision of each application ("a newer positive decision").
import type { PrismaClient } from '../../db/client.js';
import type { ApplicationStatus } from '../../generated/prisma/enums.js';
import { AppError, found } from '../../lib/errors.js';
import { auditRepository, type Actor } from '../audit/audit.repository.js';
import { applicationsRepository } from '../hiring/applications.repository.js';
import { externalIdsRepository } from '../hiring/external-ids.repository.js';
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
    async record(actor: Actor, body: RecordDecisionBody) {
      return db.$transaction(async (tx) => {
        const org = actor.organizationId;
        const applicationId =
          'id' in body.application
            ? body.application.id
            : await externalIdsRepository.lockAndResolve(tx, org, 'application', [{ source: body.application.source, id: body.application.externalId }]);
        const unknown = () =>
          new AppError('validation_failed', 'The application referenced does not exist in this organization', {
            errors: [{ path: 'body.application', message: 'no such application' }],
          });
        if (!applicationId) throw unknown();
        const existing = await applicationsRepository.find(tx, org, applicationId);
        if (!existing) throw unknown();
        await applicationsRepository.shareLockRequisition(tx, existing.requisitionId);
        const status = STATUS_AFTER[body.kind];
        // The row is locked only when the status may change, so a stream of decisions that
        // keep it (advance, hold) on one application does not queue.
        const application = status === undefined ? existing : found(await applicationsRepository.findForUpdate(tx, org, applicationId), 'Application');

        const occurredAt = body.occurredAt ?? now();
        const decision = await tx.decision.create({
          data: {
            organizationId: org,
            applicationId,
            requisitionId: application.requisitionId,
            candidateId: application.candidateId,
            kind: body.kind,
            source: body.source,
            occurredAt,
          },
        });
        const statusChanged = status !== undefined && status !== application.status;
        if (statusChanged) await applicationsRepository.setStatus(tx, [applicationId], status, now());
        await auditRepository.record(tx, actor, [
          { action: 'decision.recorded', entity: 'application', entityId: applicationId, after: { kind: body.kind, source: body.source, decisionId: decision.id } },
          ...(statusChanged
            ? [{ action: 'application.status_changed', entity: 'application', entityId: applicationId, before: { status: application.status }, after: { status } }]
            : []),
        ]);
        return {
          id: decision.id,
          applicationId,
          kind: body.kind,
          source: body.source,
          occurredAt: decision.occurredAt,
          applicationStatus: statusChanged ? status : application.status,
        };
      });
    },
  };
}
