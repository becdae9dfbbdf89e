// Applications (candidate × requisition): create-or-update by external id or by the pair,
// status changes (audited with before/after), reads.
import type { DbClient } from '../../db/client.js';
import { AppError, found } from '../../lib/errors.js';
import { canSee } from '../../lib/requisition-scope.js';
import { auditRepository } from '../audit/audit.repository.js';
import type { Actor } from '../../lib/actor.js';
import { applicationsRepository as repo, type ApplicationColumns, type ApplicationRow } from './applications.repository.js';
import { changedFields, writeAuditedChanges } from './changes.js';
import { externalIdsRepository, type ExternalRef } from './external-ids.repository.js';
import type { ApplicationInput, ApplicationPatch, RecordRef } from './hiring.schemas.js';
import { candidatesRepository } from './candidates.repository.js';
import { assertNotErased } from './candidates.service.js';
import { requisitionsRepository } from './requisitions.repository.js';
import { addBusinessDays } from '../../lib/business-days.js';

export function applicationView(row: ApplicationRow, externalIds: ExternalRef[]) {
  return {
    id: row.id,
    candidateId: row.candidateId,
    requisitionId: row.requisitionId,
    stage: row.stage,
    status: row.status,
    promisedDecisionAt: row.promisedDecisionAt,
    lastInterviewAt: row.lastInterviewAt,
    statusChangedAt: row.statusChangedAt,
    externalIds,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

/** A reference to a record of this organization, or a 422 naming the field (not a 404: the URL exists). */
async function resolveRef(db: DbClient, organizationId: string, kind: 'candidate' | 'requisition', ref: RecordRef, path: string) {
  if ('id' in ref) {
    if ((await repo.existing(db, organizationId, kind, [ref.id])).has(ref.id)) return ref.id;
    throw unknownRef(kind, path, `no ${kind} with id ${ref.id}`);
  }
  const id = await externalIdsRepository.lockAndResolve(db, organizationId, kind, [{ source: ref.source, id: ref.externalId }]);
  if (id) return id;
  throw unknownRef(kind, path, `no ${kind} with ${ref.source} id ${ref.externalId}`);
}

const unknownRef = (kind: string, path: string, message: string) =>
  new AppError('validation_failed', `The ${kind} referenced does not exist in this organization`, { errors: [{ path, message }] });

/** An interview recorded without a date promised: the requisition's default promise applies, in business days where the candidate lives. */
export async function promiseAfterInterview(db: DbClient, current: Pick<ApplicationRow, 'requisitionId' | 'candidateId'>, patch: ApplicationPatch): Promise<Date | undefined> {
  if (!patch.lastInterviewAt || patch.promisedDecisionAt !== undefined) return undefined;
  const days = await requisitionsRepository.promiseDays(db, current.requisitionId);
  return days ? addBusinessDays(patch.lastInterviewAt, days, await candidatesRepository.timezoneOf(db, current.candidateId)) : undefined;
}

/** What a patch changes of an application (nothing: an empty object); a new status also moves statusChangedAt. */
export async function applicationChanges(db: DbClient, current: ApplicationRow, patch: ApplicationPatch): Promise<Partial<ApplicationRow>> {
  const changes: Partial<ApplicationRow> = changedFields(current as ApplicationColumns, {
    stage: patch.stage,
    status: patch.status,
    promisedDecisionAt:
      patch.promisedDecisionAt ?? (current.lastInterviewAt?.getTime() !== patch.lastInterviewAt?.getTime() ? await promiseAfterInterview(db, current, patch) : undefined),
    lastInterviewAt: patch.lastInterviewAt,
  });
  if (changes.status) changes.statusChangedAt = new Date();
  return changes;
}

async function applyChanges(db: DbClient, actor: Actor, current: ApplicationRow, patch: ApplicationPatch): Promise<ApplicationRow> {
  const changes = await applicationChanges(db, current, patch);
  return writeAuditedChanges(db, actor, 'application', current, changes, (data) => repo.update(db, current.id, data));
}

export const applicationOps = {
  async upsertInTx(db: DbClient, actor: Actor, input: ApplicationInput, path = 'body'): Promise<{ row: ApplicationRow; created: boolean }> {
    const org = actor.organizationId;
    let existingId = await externalIdsRepository.lockAndResolve(db, org, 'application', input.externalIds);
    const candidateId = await resolveRef(db, org, 'candidate', input.candidate, `${path}.candidate`);
    for (const erased of await candidatesRepository.erased(db, org, [candidateId])) assertNotErased(erased, `${path}.candidate`);
    const requisitionId = await resolveRef(db, org, 'requisition', input.requisition, `${path}.requisition`);
    // A requisition the caller does not work on is answered like one that does not exist.
    if (!canSee(actor.requisitions ?? 'all', requisitionId)) throw unknownRef('requisition', `${path}.requisition`, 'no such requisition');
    // Shared lock: a plan being confirmed on this requisition (which holds it exclusively)
    // finishes before this application can change under it.
    await repo.shareLockRequisition(db, requisitionId);
    // One application per candidate and requisition: the pair is a natural key too.
    const byPair = await repo.lockAndFindByPair(db, requisitionId, candidateId);
    if (existingId && byPair && byPair.id !== existingId) {
      throw new AppError('conflict', 'The external ids name another application than this candidate and requisition', {
        extensions: { applicationIds: [existingId, byPair.id] },
      });
    }
    existingId ??= byPair?.id ?? null;
    if (existingId) {
      const current = found(await repo.findForUpdate(db, org, existingId), 'Application');
      if (current.candidateId !== candidateId || current.requisitionId !== requisitionId) {
        throw new AppError('conflict', 'This application belongs to another candidate or requisition; it cannot move', {
          extensions: { applicationId: current.id },
        });
      }
      const row = await applyChanges(db, actor, current, input);
      await externalIdsRepository.attach(db, org, 'application', row.id, input.externalIds);
      return { row, created: false };
    }
    const row = await repo.create(db, org, candidateId, requisitionId, {
      stage: input.stage ?? null,
      status: input.status ?? 'active',
      promisedDecisionAt: input.promisedDecisionAt ?? (await promiseAfterInterview(db, { requisitionId, candidateId }, input)) ?? null,
      lastInterviewAt: input.lastInterviewAt ?? null,
    });
    await externalIdsRepository.attach(db, org, 'application', row.id, input.externalIds);
    await auditRepository.record(db, actor, [{ action: 'application.created', entity: 'application', entityId: row.id, after: row }]);
    return { row, created: true };
  },

  async updateInTx(db: DbClient, actor: Actor, id: string, patch: ApplicationPatch): Promise<ApplicationRow> {
    const existing = found(await repo.find(db, actor.organizationId, id), 'Application');
    for (const erased of await candidatesRepository.erased(db, actor.organizationId, [existing.candidateId])) assertNotErased(erased, 'params.id');
    await repo.shareLockRequisition(db, existing.requisitionId);
    const current = found(await repo.findForUpdate(db, actor.organizationId, id), 'Application');
    return applyChanges(db, actor, current, patch);
  },
};
