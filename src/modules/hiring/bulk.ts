// The bulk upsert's set-based path. The single-record operations (candidateOps/applicationOps
// .upsertInTx) cost ~15 statements per record; for a batch the same work is a few statements per
// batch: external ids resolved in one query, current rows read (and locked) in one, identity
// matches read once and linked in memory in the batch's order (exactly as record-by-record
// linking would link them, an updated record's old addresses leaving the index at its turn),
// rows, emails, links, external ids and audit entries each written in one statement.
//
// It only takes batches it can answer exactly as the record-by-record path would: every phone
// valid, every reference resolvable, every requisition visible, no external id, record or
// (requisition, candidate) pair named twice, no external ids split across records, no
// application moving to another pair, and no update of a candidate by someone who sees only some
// requisitions (whose visibility is checked record by record), and no erased candidate named.
// Anything else (errors to report
// with their path, conflicts) returns null before writing and the caller runs the
// record-by-record path, which produces the same answer and the same error it always did.
import { newId } from '../../lib/ids.js';
import type { DbClient } from '../../db/client.js';
import { lockKeys } from '../../db/locks.js';
import type { Actor } from '../../lib/actor.js';
import { auditRepository, type AuditEntry } from '../audit/audit.repository.js';
import { bulkRepository as repo, type NewCandidate } from './bulk.repository.js';
import { columnsOf, identityKeys, normalizeEmails, sameEmails } from './candidates.service.js';
import { changedFields, previousValues } from './changes.js';
import { seesAll } from '../../lib/requisition-scope.js';
import type { ApplicationInput, CandidateInput, RequisitionInput } from './hiring.schemas.js';
import type { IdentityLinkReason } from '../../generated/prisma/enums.js';
import type { CandidateColumns, CandidateRow, NormalizedEmail } from './candidates.repository.js';
import { normalizePhone } from './identity.js';

export interface Outcome {
  id: string;
  created: boolean;
}

type BulkInput = { requisitions: RequisitionInput[]; candidates: CandidateInput[]; applications: ApplicationInput[] };

const externalLockKey = (organizationId: string, entity: string, source: string, id: string) => `${organizationId}|${entity}|${source}|${id}`;
export const refKey = (entity: string, ref: { source: string; id: string }) => `${entity}\u0000${ref.source}\u0000${ref.id}`;

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

/** The batch's candidates, new and updated, in one go; null when the batch needs the record-by-record path (nothing written then). */
export async function upsertCandidates(db: DbClient, actor: Actor, inputs: CandidateInput[]): Promise<Outcome[] | null> {
  if (inputs.length === 0) return [];
  const org = actor.organizationId;
  const prepared: Prepared[] = [];
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
      columns,
      emails: normalizeEmails(input.emails),
      row: {
        id: newId(),
        name: input.name,
        preferredName: columns.preferredName ?? null,
        phone: columns.phone ?? null,
        locale: columns.locale ?? null,
        timezone: columns.timezone ?? null,
      },
      current: null,
    });
  }
  const externalKeys = prepared.flatMap(({ input }) => input.externalIds.map((ref) => ({ entity: 'candidate' as const, source: ref.source, externalId: ref.id })));
  const resolved = new Map((await repo.resolveExternal(db, org, externalKeys)).map((r) => [refKey('candidate', { source: r.source, id: r.externalId }), r.entityId]));
  const updatedIds = new Set<string>();
  for (const p of prepared) {
    const ids = new Set(p.input.externalIds.flatMap((ref) => resolved.get(refKey('candidate', ref)) ?? []));
    if (ids.size > 1) return null; // split across records: the record-by-record path's conflict
    const [id] = ids;
    if (id === undefined) continue;
    if (updatedIds.has(id)) return null; // one record named twice
    updatedIds.add(id);
    p.row.id = id;
  }
  if (updatedIds.size > 0 && !seesAll(actor.requisitions ?? 'all')) return null;
  const currents = await repo.candidatesForUpdate(db, org, [...updatedIds]);
  if (currents.size < updatedIds.size) return null; // an external id naming a record that is gone: the record-by-record path's 404
  for (const current of currents.values()) if (current.erasedAt) return null; // the record-by-record path's candidate_erased, with its path
  for (const p of prepared) p.current = currents.get(p.row.id) ?? null;

  // What each update changes (as updateCandidate would): nothing changed, nothing written.
  const updates = prepared.flatMap((p) => {
    if (!p.current) return [];
    const changes = changedFields(p.current as CandidateColumns, p.columns);
    const emailsChanged = !sameEmails(p.emails, p.current.emails);
    if (Object.keys(changes).length === 0 && !emailsChanged) return [];
    return [{ p, current: p.current, changes, emailsChanged, phone: changes.phone !== undefined ? changes.phone : p.current.phone }];
  });
  const updateOf = new Map(updates.map((u) => [u.p, u]));
  const fresh = prepared.filter((p) => !p.current);

  // Existing records sharing an address or number, read before the batch is written.
  const allEmails = [...new Set(prepared.flatMap((p) => p.emails.map((e) => e.normalized)))];
  const allPhones = [...new Set([...fresh.flatMap((p) => (p.row.phone ? [p.row.phone] : [])), ...updates.flatMap((u) => (u.phone ? [u.phone] : []))])];
  const matches = await repo.identityMatches(db, org, allEmails, allPhones);

  const now = new Date();
  await repo.insertCandidates(
    db,
    org,
    fresh.map((p) => p.row),
    now,
  );
  await repo.insertEmails(
    db,
    org,
    fresh.flatMap((p) => p.emails.map((email, index) => ({ id: newId(), candidateId: p.row.id, ...email, isPrimary: index === 0 }))),
  );
  await repo.updateCandidates(
    db,
    updates.filter((u) => Object.keys(u.changes).length > 0).map((u) => ({ id: u.current.id, ...(u.current as CandidateColumns), ...u.changes })),
    now,
  );
  await repo.replaceEmails(
    db,
    org,
    updates.filter((u) => u.emailsChanged).flatMap((u) => u.p.emails.map((email, index) => ({ id: newId(), candidateId: u.current.id, ...email, isPrimary: index === 0 }))),
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
        fresh.map((p) => p.row.id),
      )
    ).map((row) => [row.id, row]),
  );

  // Identity linking, record by record in memory, in the batch's order.
  const byEmail = new Map<string, string[]>();
  const byPhone = new Map<string, string[]>();
  const person = new Map<string, string>();
  const add = (index: Map<string, string[]>, key: string, id: string) => {
    const ids = index.get(key);
    if (!ids) index.set(key, [id]);
    else if (!ids.includes(id)) ids.push(id);
  };
  const drop = (index: Map<string, string[]>, key: string, id: string) => {
    const ids = index.get(key);
    if (ids)
      index.set(
        key,
        ids.filter((other) => other !== id),
      );
  };
  for (const m of matches.byEmail) {
    add(byEmail, m.normalized, m.candidateId);
    person.set(m.candidateId, m.personId);
  }
  for (const m of matches.byPhone) {
    add(byPhone, m.phone, m.candidateId);
    person.set(m.candidateId, m.personId);
  }
  for (const u of updates) person.set(u.current.id, u.current.personId);
  if (matches.byEmail.length + matches.byPhone.length > 0 || hasSharedKeys(fresh) || updates.length > 0) {
    // Groups are merged under the organization's person lock, reading them as they are now.
    await lockKeys(db, [`${org}|persons`]);
    const current = await repo.personsOf(db, org, [...person.keys()]);
    for (const [id, personId] of current) person.set(id, personId);
  }
  // Links that exist already are not written (nor logged) again.
  const linked = new Set(
    (
      await repo.linkKeysOf(
        db,
        org,
        [...updateOf.values()].map((u) => u.current.id),
      )
    ).map(linkKey),
  );

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
    let phone = p.row.phone;
    if (p.current) {
      const u = updateOf.get(p);
      if (!u) continue; // unchanged: nothing written, nothing linked
      audit.push({
        action: 'candidate.updated',
        entity: 'candidate',
        entityId: id,
        before: { ...previousValues(u.current as CandidateColumns, u.changes), ...(u.emailsChanged ? { emails: u.current.emails.map((e) => e.address) } : {}) },
        after: { ...u.changes, ...(u.emailsChanged ? { emails: p.emails.map((e) => e.address) } : {}) },
      });
      // Its old keys leave the index; its keys as they are now are matched below.
      for (const e of u.current.emails) drop(byEmail, e.normalized, id);
      if (u.current.phone) drop(byPhone, u.current.phone, id);
      phone = u.phone;
    } else {
      audit.push({ action: 'candidate.created', entity: 'candidate', entityId: id, after: { ...stored.get(id)!, emails: p.emails.map((e) => e.address) } });
      person.set(id, id);
    }
    const emails = p.current && !updateOf.get(p)!.emailsChanged ? p.current.emails : p.emails;
    const found = [
      ...emails.flatMap((e) => (byEmail.get(e.normalized) ?? []).map((other) => ({ other, reason: 'same_email' as const, evidence: e.normalized }))),
      ...(phone ? (byPhone.get(phone) ?? []).map((other) => ({ other, reason: 'same_phone' as const, evidence: phone })) : []),
    ];
    if (found.length > 0) {
      const mine = found
        .map((f) => ({ id: newId(), candidateId: id, linkedCandidateId: f.other, reason: f.reason, evidence: f.evidence, source: 'hearback' }))
        .filter((link) => !linked.has(linkKey(link)));
      for (const link of mine) linked.add(linkKey(link));
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
    for (const e of emails) add(byEmail, e.normalized, id);
    if (phone) add(byPhone, phone, id);
  }
  await repo.insertLinks(db, org, links);
  // Each person merged away, straight to the person it ended in.
  await repo.movePersons(
    db,
    org,
    [...movedTo.keys()].map((from) => [from, finalOf(from)]),
  );
  await auditRepository.record(db, actor, audit);
  return prepared.map((p) => ({ id: p.row.id, created: !p.current }));
}

interface Prepared {
  input: CandidateInput;
  columns: Partial<CandidateColumns>;
  row: NewCandidate;
  emails: NormalizedEmail[];
  /** The stored record the input's external ids name (locked), or null for a new one. */
  current: CandidateRow | null;
}

const linkKey = (l: { candidateId: string; linkedCandidateId: string; reason: string; evidence: string }) =>
  `${l.candidateId}\u0000${l.linkedCandidateId}\u0000${l.reason}\u0000${l.evidence}`;

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
