// The bulk upsert's set-based path for applications (see bulk.ts for the rule: only batches it
// answers exactly as applicationOps.upsertInTx would, record by record; null otherwise, before
// writing). New applications are inserted, existing ones (by external id or by their candidate
// and requisition) get the same field changes and audit entries as one by one.
import { newId } from '../../lib/ids.js';
import type { DbClient } from '../../db/client.js';
import { lockKeys } from '../../db/locks.js';
import type { Actor } from '../../lib/actor.js';
import { canSee } from '../../lib/requisition-scope.js';
import { auditRepository, type AuditEntry } from '../audit/audit.repository.js';
import type { ApplicationRow } from './applications.repository.js';
import { applicationChanges, promiseAfterInterview } from './applications.service.js';
import { bulkRepository as repo, type ApplicationUpdate, type ExternalKey, type NewApplication } from './bulk.repository.js';
import { refKey, type Outcome } from './bulk.js';
import { previousValues } from './changes.js';
import type { ApplicationInput, RecordRef } from './hiring.schemas.js';
import { candidatesRepository } from './candidates.repository.js';

/** The batch's applications, new and updated, in one go; `created`: the ids of the new ones. */
export async function upsertApplications(db: DbClient, actor: Actor, inputs: ApplicationInput[]): Promise<{ outcomes: Outcome[]; created: string[] } | null> {
  if (inputs.length === 0) return { outcomes: [], created: [] };
  const org = actor.organizationId;
  const refs = new Set<string>();
  for (const input of inputs) {
    for (const ref of input.externalIds) {
      const key = refKey('application', ref);
      if (refs.has(key)) return null;
      refs.add(key);
    }
  }
  const own = inputs.flatMap((input) => input.externalIds.map((ref): ExternalKey => ({ entity: 'application', source: ref.source, externalId: ref.id })));
  const byExternal = (entity: 'candidate' | 'requisition', ref: RecordRef): ExternalKey[] => ('source' in ref ? [{ entity, source: ref.source, externalId: ref.externalId }] : []);
  const named = inputs.flatMap((input) => [...byExternal('candidate', input.candidate), ...byExternal('requisition', input.requisition)]);
  const resolved = await repo.resolveExternal(db, org, [...own, ...named]);
  const byRef = new Map(resolved.map((r) => [refKey(r.entity, { source: r.source, id: r.externalId }), r.entityId]));
  const existing = await repo.existing(
    db,
    org,
    inputs.flatMap((i) => ('id' in i.candidate ? [i.candidate.id] : [])),
    inputs.flatMap((i) => ('id' in i.requisition ? [i.requisition.id] : [])),
  );
  const resolve = (entity: 'candidate' | 'requisition', ref: RecordRef) =>
    'id' in ref ? (existing.has(`${entity}|${ref.id}`) ? ref.id : undefined) : byRef.get(refKey(entity, { source: ref.source, id: ref.externalId }));

  const scope = actor.requisitions ?? 'all';
  const pairs = inputs.map((input) => {
    const candidateId = resolve('candidate', input.candidate);
    const requisitionId = resolve('requisition', input.requisition);
    return candidateId && requisitionId && canSee(scope, requisitionId) ? { candidateId, requisitionId } : null;
  });
  const known = pairs.filter((p) => p !== null);
  // An erased candidate named: the record-by-record path's candidate_erased, with its path.
  if ((await candidatesRepository.erased(db, org, [...new Set(known.map((p) => p.candidateId))])).length > 0) return null;
  // The requisitions (shared) and every pair, each in one sorted statement, whichever path then
  // writes: the record-by-record path takes them again (no-ops) instead of one by one, so two
  // batches naming the same pairs by record id cannot deadlock either.
  await repo.shareLockRequisitions(
    db,
    known.map((p) => p.requisitionId),
  );
  await lockKeys(
    db,
    known.map((p) => `application|${p.requisitionId}|${p.candidateId}`),
  );
  // Unknown or invisible references: the record-by-record path answers with the record's path.
  if (known.length < pairs.length) return null;
  const pairKey = (p: { requisitionId: string; candidateId: string }) => `${p.requisitionId}|${p.candidateId}`;
  if (new Set(known.map(pairKey)).size < known.length) return null;

  // Which existing application each record names: by its external ids, else by its pair.
  const byPair = new Map((await repo.existingPairs(db, known)).map((a) => [pairKey(a), a.id]));
  const targets: (string | null)[] = [];
  for (const [i, input] of inputs.entries()) {
    const ids = new Set(input.externalIds.flatMap((ref) => byRef.get(refKey('application', ref)) ?? []));
    if (ids.size > 1) return null; // split across records: the record-by-record path's conflict
    const [byId] = ids;
    const ofPair = byPair.get(pairKey(known[i]!));
    if (byId && ofPair && byId !== ofPair) return null; // another application than the pair's: conflict
    targets.push(byId ?? ofPair ?? null);
  }
  const named2 = targets.filter((t) => t !== null);
  if (new Set(named2).size < named2.length) return null; // one application named twice
  const currents = await repo.applicationsForUpdate(db, org, named2);
  for (const [i, target] of targets.entries()) {
    const current = target ? currents.get(target) : undefined;
    // An application moving to another candidate or requisition: the record-by-record path's conflict.
    if (target && (!current || current.candidateId !== known[i]!.candidateId || current.requisitionId !== known[i]!.requisitionId)) return null;
  }

  const now = new Date();
  const rows: NewApplication[] = [];
  const updates: ApplicationUpdate[] = [];
  const audit: AuditEntry[] = [];
  const ids: string[] = [];
  for (const [i, input] of inputs.entries()) {
    const pair = known[i]!;
    const current = targets[i] ? currents.get(targets[i]) : undefined;
    if (current) {
      ids.push(current.id);
      const changes = await applicationChanges(db, current, input);
      if (Object.keys(changes).length === 0) continue;
      updates.push({ ...pick(current), ...changes, id: current.id });
      audit.push({
        action: 'status' in changes ? 'application.status_changed' : 'application.updated',
        entity: 'application',
        entityId: current.id,
        before: previousValues(current, changes),
        after: changes,
      });
      continue;
    }
    const row: NewApplication = {
      id: newId(),
      ...pair,
      stage: input.stage ?? null,
      status: input.status ?? 'active',
      // Rare (an interview date without a promise): the same per-record rule.
      promisedDecisionAt: input.promisedDecisionAt ?? (input.lastInterviewAt ? await promiseAfterInterview(db, pair, input) : undefined) ?? null,
      lastInterviewAt: input.lastInterviewAt ?? null,
    };
    rows.push(row);
    ids.push(row.id);
  }
  await repo.insertApplications(db, org, rows, now);
  await repo.updateApplications(db, updates, now);
  await repo.attachExternal(
    db,
    org,
    inputs.flatMap((input, i) => input.externalIds.map((ref) => ({ entity: 'application' as const, source: ref.source, externalId: ref.id, entityId: ids[i]! }))),
  );
  const stored = new Map(
    (
      await repo.applicationsByIds(
        db,
        rows.map((r) => r.id),
      )
    ).map((row) => [row.id, row]),
  );
  audit.push(...rows.map((row) => ({ action: 'application.created', entity: 'application', entityId: row.id, after: stored.get(row.id) })));
  await auditRepository.record(db, actor, audit);
  const created = new Set(rows.map((row) => row.id));
  return { outcomes: ids.map((id) => ({ id, created: created.has(id) })), created: rows.map((row) => row.id) };
}

const pick = (row: ApplicationRow): Omit<ApplicationUpdate, 'id'> => ({
  stage: row.stage,
  status: row.status,
  promisedDecisionAt: row.promisedDecisionAt,
  lastInterviewAt: row.lastInterviewAt,
  statusChangedAt: row.statusChangedAt,
});
