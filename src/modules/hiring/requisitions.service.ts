// Requisitions: create-or-update by external id, edits, reads. Transaction-level operations
// (`*InTx`) are shared with the bulk upsert.
import type { DbClient } from '../../db/client.js';
import { AppError, found } from '../../lib/errors.js';
import { assertVisible } from '../../lib/requisition-scope.js';
import { addMemberInTx } from './members.service.js';
import { auditRepository } from '../audit/audit.repository.js';
import type { Actor } from '../../lib/actor.js';
import { changedFields, writeAuditedChanges } from './changes.js';
import { externalIdsRepository, type ExternalRef } from './external-ids.repository.js';
import type { RequisitionInput, RequisitionPatch } from './hiring.schemas.js';
import { requisitionsRepository as repo, type RequisitionData, type RequisitionRow } from './requisitions.repository.js';

function toData(input: RequisitionPatch): Partial<RequisitionData> {
  const data: Partial<RequisitionData> = {
    title: input.title,
    department: input.department,
    location: input.location,
    defaultLocale: input.defaultLocale,
    status: input.status,
    promisedDecisionAt: input.promisedDecisionAt,
    promiseDaysAfterInterview: input.promiseDaysAfterInterview,
    acknowledgeApplications: input.acknowledgeApplications,
  };
  if (input.hiringContact !== undefined) {
    data.hiringContactName = input.hiringContact?.name ?? null;
    data.hiringContactEmail = input.hiringContact?.email ?? null;
  }
  return data;
}

export function requisitionView(row: RequisitionRow, externalIds: ExternalRef[]) {
  return {
    id: row.id,
    title: row.title,
    department: row.department,
    location: row.location,
    defaultLocale: row.defaultLocale,
    hiringContact: { name: row.hiringContactName, email: row.hiringContactEmail },
    status: row.status,
    promisedDecisionAt: row.promisedDecisionAt,
    promiseDaysAfterInterview: row.promiseDaysAfterInterview,
    acknowledgeApplications: row.acknowledgeApplications,
    externalIds,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function applyChanges(db: DbClient, actor: Actor, current: RequisitionRow, patch: RequisitionPatch): Promise<RequisitionRow> {
  const changes = changedFields(current, toData(patch) as Partial<RequisitionRow>);
  return writeAuditedChanges(db, actor, 'requisition', current, changes, (data) => repo.update(db, current.id, data));
}

const CLOSED = new Set<string>(['cancelled', 'filled']);

export const requisitionOps = {
  async upsertInTx(db: DbClient, actor: Actor, input: RequisitionInput): Promise<{ row: RequisitionRow; created: boolean }> {
    const existingId = await externalIdsRepository.lockAndResolve(db, actor.organizationId, 'requisition', input.externalIds);
    if (existingId) {
      assertVisible(actor.requisitions ?? 'all', 'requisition', [existingId]);
      const current = found(await repo.findForUpdate(db, actor.organizationId, existingId), 'Requisition');
      const row = await applyChanges(db, actor, current, input);
      await externalIdsRepository.attach(db, actor.organizationId, 'requisition', row.id, input.externalIds);
      return { row, created: false };
    }
    const data = toData(input);
    const row = await repo.create(db, actor.organizationId, { ...data, title: input.title });
    await externalIdsRepository.attach(db, actor.organizationId, 'requisition', row.id, input.externalIds);
    await auditRepository.record(db, actor, [{ action: 'requisition.created', entity: 'requisition', entityId: row.id, after: row }]);
    // Whoever opens a requisition works on it (and keeps seeing it whatever their role).
    if (actor.userId) await addMemberInTx(db, actor, row.id, actor.userId);
    return { row, created: true };
  },

  /**
   * A person's change. Closing (cancelled, filled) needs every active applicant to have a final
   * word sent or on its way: the refusal names who is missing (a role change, or a plan, tells them).
   */
  async updateInTx(db: DbClient, actor: Actor, id: string, patch: RequisitionPatch): Promise<RequisitionRow> {
    const current = found(await repo.findForUpdate(db, actor.organizationId, id), 'Requisition');
    if (patch.status && CLOSED.has(patch.status) && !CLOSED.has(current.status)) {
      const missing = await repo.withoutFinalWord(db, id, 100);
      if (missing.length > 0) {
        throw new AppError(
          'applicants_without_final_word',
          `${missing.length === 100 ? 'At least 100' : missing.length} applicant(s) would be left without a final word; tell them first (POST /v1/requisitions/${id}/role-changes)`,
          {
            extensions: { missing },
          },
        );
      }
    }
    return applyChanges(db, actor, current, patch);
  },
};
