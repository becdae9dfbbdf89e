// The bulk upsert's set-based path. The single-record operations (candidateOps/applicationOps
// .upsertInTx) cost ~15 statements per record; for a batch of new records the same work is a
// few statements per batch: external ids resolved in one query, identity matches read once and
// linked in memory in the batch's order (exactly as record-by-record linking would link them),
// rows, emails, links, external ids and audit entries each inserted in one statement.
//
// It only takes batches it can answer exactly as the record-by-record path would: every record
// new, every phone valid, every reference resolvable, every requisition visible, no external id
// or (requisition, candidate) pair named twice. Anything else (updates, errors to report with
// their path, conflicts) returns null before writing and the caller runs the record-by-record
// path, which produces the same answer and the same error it always did.
import { v7 as uuidv7 } from 'uuid';
import type { DbClient } from '../../db/client.js';
import { lockKeys } from '../../db/locks.js';
import type { Actor } from '../../lib/actor.js';
import { canSee } from '../../lib/requisition-scope.js';
import { auditRepository, type AuditEntry } from '../audit/audit.repository.js';
import { promiseAfterInterview } from './applications.service.js';
import { bulkRepository as repo, type ExternalKey, type NewApplication, type NewCandidate } from './bulk.repository.js';
import { columnsOf, identityKeys, normalizeEmails } from './candidates.service.js';
import type { ApplicationInput, CandidateInput, RecordRef, RequisitionInput } from './hiring.schemas.js';
import type { IdentityLinkReason } from '../../generated/prisma/enums.js';
import type { NormalizedEmail } from './candidates.repository.js';
import { normalizePhone } from './identity.js';

export interface Outcome {
  id: string;
  created: boolean;
}

type BulkInput = { requisitions: RequisitionInput[]; candidates: CandidateInput[]; applications: ApplicationInput[] };

const externalLockKey = (organizationId: string, entity: string, source: string, id: string) => `${organizationId}|${entity}|${source}|${id}`;
const refKey = (entity: string, ref: { source: string; id: string }) => `${entity}\u0000${ref.source}\u0000${ref.id}`;

/**
 * Every advisory key the batch can need, taken in one statement in sorted order before anything
 * else: two bulk upserts naming the same people (in any order) queue behind each other instead
 * of deadlocking. The record-by-record operations take the same keys again (a no-op).
 * Sorted, the namespaces come in the order the single-record operations take them (application
 * external ids, candidate external ids, identity keys, requisition external ids).
 */
export async function lockBatch(db: DbClient, organizationId: string, input: BulkInput): Promise<void> {
  const keys: string[] = [];
  for (const r of input.requisitions) for (const ref of r.externalIds) keys.push(externalLockKey(organizationId, 'requisition', ref.source, ref.id));
  for (const c of input.candidates) {
    for (const ref of c.externalIds) keys.push(externalLockKey(organizationId, 'candidate', ref.source, ref.id));
    const phone = c.phone ? normalizePhone(c.phone, c.phoneCountry) : null;
    for (const key of identityKeys(normalizeEmails(c.emails), phone)) keys.push(`${organizationId}|identity|${key}`);
  }
  for (const a of input.applications) {
    for (const ref of a.externalIds) keys.push(externalLockKey(organizationId, 'application', ref.source, ref.id));
    if ('source' in a.candidate) keys.push(externalLockKey(organizationId, 'candidate', a.candidate.source, a.candidate.externalId));
    if ('source' in a.requisition) keys.push(externalLockKey(organizationId, 'requisition', a.requisition.source, a.requisition.externalId));
  }
  await lockKeys(db, keys);
}

/** New candidates in one go, or null when the batch is not all new and valid (nothing written then). */
export async function createCandidates(db: DbClient, actor: Actor, inputs: CandidateInput[]): Promise<Outcome[] | null> {
  if (inputs.length === 0) return [];
  const org = actor.organizationId;
  const prepared: { input: CandidateInput; row: NewCandidate; emails: NormalizedEmail[] }[] = [];
  const refs = new Set<string>();
  for (const input of inputs) {
    let columns;
    try {
      columns = columnsOf(input, 'body');
    } catch {
      return null; // the record-by-record path names the record
    }
    for (const ref of input.externalIds) {
      const key = refKey('candidate', ref);
      if (refs.has(key)) return null; // a later record updates an earlier one
      refs.add(key);
    }
    prepared.push({
      input,
      emails: normalizeEmails(input.emails),
      row: {
        id: uuidv7(),
        name: input.name,
        preferredName: columns.preferredName ?? null,
        phone: columns.phone ?? null,
        locale: columns.locale ?? null,
        timezone: columns.timezone ?? null,
      },
    });
  }
  const externalKeys = prepared.flatMap(({ input }) => input.externalIds.map((ref) => ({ entity: 'candidate' as const, source: ref.source, externalId: ref.id })));
  if ((await repo.resolveExternal(db, org, externalKeys)).length > 0) return null; // updates

  // Existing records sharing an address or number, read before the batch is written.
  const allEmails = [...new Set(prepared.flatMap((p) => p.emails.map((e) => e.normalized)))];
  const allPhones = [...new Set(prepared.flatMap((p) => (p.row.phone ? [p.row.phone] : [])))];
  const matches = await repo.identityMatches(db, org, allEmails, allPhones);

  const now = new Date();
  await repo.insertCandidates(
    db,
    org,
    prepared.map((p) => p.row),
    now,
  );
  await repo.insertEmails(
    db,
    org,
    prepared.flatMap((p) => p.emails.map((email, index) => ({ id: uuidv7(), candidateId: p.row.id, ...email, isPrimary: index === 0 }))),
  );
  await repo.attachExternal(
    db,
    org,
    prepared.flatMap((p) => p.input.externalIds.map((ref) => ({ entity: 'candidate' as const, source: ref.source, externalId: ref.id, entityId: p.row.id }))),
  );
  // The rows as Prisma reads them: the audit entries say exactly what the single create says.
  const stored = new Map(
    (
      await repo.candidatesByIds(
        db,
        prepared.map((p) => p.row.id),
      )
    ).map((row) => [row.id, row]),
  );

  // Identity linking, record by record in memory, in the batch's order.
  const byEmail = new Map<string, string[]>();
  const byPhone = new Map<string, string[]>();
  const person = new Map<string, string>();
  const add = (index: Map<string, string[]>, key: string, id: string) => {
    const ids = index.get(key);
    if (ids) ids.push(id);
    else index.set(key, [id]);
  };
  for (const m of matches.byEmail) {
    add(byEmail, m.normalized, m.candidateId);
    person.set(m.candidateId, m.personId);
  }
  for (const m of matches.byPhone) {
    add(byPhone, m.phone, m.candidateId);
    person.set(m.candidateId, m.personId);
  }
  if (matches.byEmail.length + matches.byPhone.length > 0 || hasSharedKeys(prepared)) {
    // Groups are merged under the organization's person lock, reading them as they are now.
    await lockKeys(db, [`${org}|persons`]);
    const current = await repo.personsOf(db, org, [...person.keys()]);
    for (const [id, personId] of current) person.set(id, personId);
  }

  const audit: AuditEntry[] = [];
  const links: { id: string; candidateId: string; linkedCandidateId: string; reason: IdentityLinkReason; evidence: string; source: string }[] = [];
  // Person ids merged away, each to the person it joined (a forest: `personOf` follows it).
  const movedTo = new Map<string, string>();
  /** The person a person id ended in (following merges; the path shortened on the way). */
  const finalOf = (personId: string) => {
    let root = personId;
    for (let next = movedTo.get(root); next !== undefined; next = movedTo.get(root)) root = next;
    for (let at = personId; at !== root;) {
      const next = movedTo.get(at)!;
      movedTo.set(at, root);
      at = next;
    }
    return root;
  };
  const personOf = (candidateId: string) => finalOf(person.get(candidateId)!);
  for (const p of prepared) {
    const id = p.row.id;
    audit.push({ action: 'candidate.created', entity: 'candidate', entityId: id, after: { ...stored.get(id)!, emails: p.emails.map((e) => e.address) } });
    const found = [
      ...p.emails.flatMap((e) => (byEmail.get(e.normalized) ?? []).map((other) => ({ other, reason: 'same_email' as const, evidence: e.normalized }))),
      ...(p.row.phone ? (byPhone.get(p.row.phone) ?? []).map((other) => ({ other, reason: 'same_phone' as const, evidence: p.row.phone! })) : []),
    ];
    person.set(id, id);
    if (found.length > 0) {
      const mine = found.map((f) => ({ id: uuidv7(), candidateId: id, linkedCandidateId: f.other, reason: f.reason, evidence: f.evidence, source: 'hearback' }));
      links.push(...mine);
      const [target, ...others] = [...new Set([id, ...found.map((f) => f.other)].map(personOf))].sort();
      for (const from of others) movedTo.set(from, target!);
      audit.push(
        ...mine.map((link) => ({
          action: 'identity.linked',
          entity: 'candidate',
          entityId: id,
          after: { linkedCandidateId: link.linkedCandidateId, reason: link.reason, evidence: link.evidence, personId: target },
        })),
        ...others.map((from) => ({ action: 'identity.person_merged', entity: 'person', entityId: target!, before: { personId: from }, after: { personId: target } })),
      );
    }
    for (const e of p.emails) add(byEmail, e.normalized, id);
    if (p.row.phone) add(byPhone, p.row.phone, id);
  }
  await repo.insertLinks(db, org, links);
  // Each person merged away, straight to the person it ended in.
  await repo.movePersons(
    db,
    org,
    [...movedTo.keys()].map((from) => [from, finalOf(from)]),
  );
  await auditRepository.record(db, actor, audit);
  return prepared.map((p) => ({ id: p.row.id, created: true }));
}

/** Whether two records of the batch share an address or a number (they will be linked). */
function hasSharedKeys(prepared: { row: NewCandidate; emails: NormalizedEmail[] }[]): boolean {
  const seen = new Set<string>();
  for (const p of prepared) {
    for (const key of identityKeys(p.emails, p.row.phone)) {
      if (seen.has(key)) return true;
      seen.add(key);
    }
  }
  return false;
}

/** New applications in one go, or null when the batch is not all new, resolvable and visible (nothing written then). */
export async function createApplications(db: DbClient, actor: Actor, inputs: ApplicationInput[]): Promise<{ outcomes: Outcome[]; ids: string[] } | null> {
  if (inputs.length === 0) return { outcomes: [], ids: [] };
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
  if (resolved.some((r) => r.entity === 'application')) return null; // updates
  if (new Set(known.map((p) => `${p.requisitionId}|${p.candidateId}`)).size < known.length) return null;
  if ((await repo.existingPairs(db, known)).length > 0) return null; // updates

  const rows: NewApplication[] = [];
  for (const [i, input] of inputs.entries()) {
    const pair = known[i]!;
    rows.push({
      id: uuidv7(),
      ...pair,
      stage: input.stage ?? null,
      status: input.status ?? 'active',
      // Rare (an interview date without a promise): the same per-record rule.
      promisedDecisionAt: input.promisedDecisionAt ?? (input.lastInterviewAt ? await promiseAfterInterview(db, pair, input) : undefined) ?? null,
      lastInterviewAt: input.lastInterviewAt ?? null,
    });
  }
  await repo.insertApplications(db, org, rows, new Date());
  await repo.attachExternal(
    db,
    org,
    inputs.flatMap((input, i) => input.externalIds.map((ref) => ({ entity: 'application' as const, source: ref.source, externalId: ref.id, entityId: rows[i]!.id }))),
  );
  const stored = new Map(
    (
      await repo.applicationsByIds(
        db,
        rows.map((r) => r.id),
      )
    ).map((row) => [row.id, row]),
  );
  await auditRepository.record(
    db,
    actor,
    rows.map((row) => ({ action: 'application.created', entity: 'application', entityId: row.id, after: stored.get(row.id) })),
  );
  return { outcomes: rows.map((row) => ({ id: row.id, created: true })), ids: rows.map((row) => row.id) };
}
