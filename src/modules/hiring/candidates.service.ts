// Candidates and their identity. Records that share a normalised email or phone number, or
// that an ATS merged, are linked as one person (same personId) and each link is recorded with
// its evidence; records are never collapsed. The confirmation checks rely on these groups.
import { newId } from '../../lib/ids.js';
import type { DbClient } from '../../db/client.js';
import type { IdentityLinkReason } from '../../generated/prisma/enums.js';
import { AppError, found, validationFailed } from '../../lib/errors.js';
import { assertVisible, seesAll } from '../../lib/requisition-scope.js';
import { membersRepository } from './members.repository.js';
import { auditRepository } from '../audit/audit.repository.js';
import type { Actor } from '../../lib/actor.js';
import { candidatesRepository as repo, type CandidateColumns, type CandidateRow, type NormalizedEmail } from './candidates.repository.js';
import { changedFields, previousValues } from './changes.js';
import { externalIdsRepository, type ExternalRef } from './external-ids.repository.js';
import type { CandidateInput, CandidatePatch } from './hiring.schemas.js';
import { normalizeEmail, normalizePhone } from './identity.js';

export function candidateView(row: CandidateRow, externalIds: ExternalRef[], groupMembers: string[]) {
  return {
    id: row.id,
    name: row.name,
    preferredName: row.preferredName,
    emails: row.emails.map((e) => ({ address: e.address, normalized: e.normalized, primary: e.isPrimary })),
    phone: row.phone,
    locale: row.locale,
    timezone: row.timezone,
    personId: row.personId,
    sameAs: groupMembers.filter((id) => id !== row.id),
    externalIds,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function normalizeEmails(addresses: string[]): NormalizedEmail[] {
  const seen = new Map<string, NormalizedEmail>();
  for (const address of addresses) {
    const normalized = normalizeEmail(address);
    if (!seen.has(normalized)) seen.set(normalized, { address: address.trim(), normalized });
  }
  return [...seen.values()];
}

export function columnsOf(patch: CandidatePatch, path: string): Partial<CandidateColumns> {
  let phone: string | null | undefined = patch.phone;
  if (patch.phone) {
    phone = normalizePhone(patch.phone, patch.phoneCountry);
    if (!phone) {
      throw validationFailed([{ path: `${path}.phone`, message: 'not a valid phone number (add the country code, or give phoneCountry)' }]);
    }
  }
  return { name: patch.name, preferredName: patch.preferredName, phone, locale: patch.locale, timezone: patch.timezone };
}

/**
 * Links the candidate to every record sharing one of its identity keys, merging their groups.
 * Returns the new links, already written to the audit log.
 */
async function linkIdentities(db: DbClient, actor: Actor, candidate: { id: string; personId: string }, emails: string[], phone: string | null) {
  const matches = await repo.findIdentityMatches(db, actor.organizationId, candidate.id, emails, phone);
  if (matches.length === 0) return [];
  const links = await repo.addLinks(
    db,
    actor.organizationId,
    matches.map((m) => ({ candidateId: candidate.id, linkedCandidateId: m.candidateId, reason: m.reason, evidence: m.evidence, source: 'hearback' })),
  );
  await mergeGroups(db, actor, [candidate.id, ...matches.map((m) => m.candidateId)], links);
  return links;
}

async function mergeGroups(
  db: DbClient,
  actor: Actor,
  candidateIds: string[],
  links: { id: string; candidateId: string; linkedCandidateId: string; reason: IdentityLinkReason; evidence: string }[],
) {
  const { personId, moved } = await repo.unifyPersons(db, actor.organizationId, candidateIds);
  await auditRepository.record(db, actor, [
    ...links.map((link) => ({
      action: 'identity.linked',
      entity: 'candidate',
      entityId: link.candidateId,
      after: { linkedCandidateId: link.linkedCandidateId, reason: link.reason, evidence: link.evidence, personId },
    })),
    // Whole groups that joined this person: every record in them now shares its personId.
    ...moved.map((from) => ({ action: 'identity.person_merged', entity: 'person', entityId: personId, before: { personId: from }, after: { personId } })),
  ]);
}

/** Same primary address and same set of addresses: the order of the others does not matter. */
export function sameEmails(next: NormalizedEmail[], stored: NormalizedEmail[]): boolean {
  const key = (e: NormalizedEmail) => `${e.address}\u0000${e.normalized}`;
  const sorted = (list: NormalizedEmail[]) => list.map(key).sort().join('\u0001');
  return next.length === stored.length && key(next[0]!) === key(stored[0]!) && sorted(next) === sorted(stored);
}

export const identityKeys = (emails: NormalizedEmail[], phone: string | null | undefined) => [...emails.map((e) => `email:${e.normalized}`), ...(phone ? [`phone:${phone}`] : [])];

async function updateCandidate(db: DbClient, actor: Actor, current: CandidateRow, patch: CandidatePatch, path: string) {
  const columns = columnsOf(patch, path);
  const emails = patch.emails ? normalizeEmails(patch.emails) : undefined;
  await repo.lockIdentityKeys(db, actor.organizationId, identityKeys(emails ?? [], columns.phone));
  const changes = changedFields(current as CandidateColumns, columns);
  const emailsChanged = emails !== undefined && !sameEmails(emails, current.emails);
  if (Object.keys(changes).length === 0 && !emailsChanged) return current;

  if (Object.keys(changes).length > 0) await repo.update(db, current.id, changes);
  if (emails && emailsChanged) await repo.replaceEmails(db, actor.organizationId, current.id, emails);
  await auditRepository.record(db, actor, [
    {
      action: 'candidate.updated',
      entity: 'candidate',
      entityId: current.id,
      before: { ...previousValues(current as CandidateColumns, changes), ...(emailsChanged ? { emails: current.emails.map((e) => e.address) } : {}) },
      after: { ...changes, ...(emailsChanged ? { emails: emails.map((e) => e.address) } : {}) },
    },
  ]);
  const updated = found(await repo.find(db, actor.organizationId, current.id), 'Candidate');
  await linkIdentities(
    db,
    actor,
    updated,
    updated.emails.map((e) => e.normalized),
    updated.phone,
  );
  return found(await repo.find(db, actor.organizationId, current.id), 'Candidate');
}

/**
 * An erased record stays erased (data rights: the person asked for it): nothing writes its name,
 * addresses, number or applications back, whoever sends them again (an API client, a bulk
 * import, an ATS event or the reconciliation, which skip it on their side).
 */
export function assertNotErased(candidate: { id: string; erasedAt: Date | null }, path: string): void {
  if (!candidate.erasedAt) return;
  throw new AppError(
    'candidate_erased',
    `Candidate ${candidate.id} was erased on ${candidate.erasedAt.toISOString()}; Hearback keeps nothing about them and takes nothing new for that record`,
    {
      errors: [{ path, message: 'names a candidate whose data was erased' }],
    },
  );
}

export const candidateOps = {
  async upsertInTx(db: DbClient, actor: Actor, input: CandidateInput, path = 'body'): Promise<{ row: CandidateRow; created: boolean }> {
    const existingId = await externalIdsRepository.lockAndResolve(db, actor.organizationId, 'candidate', input.externalIds);
    if (existingId) {
      const current = found(await repo.findForUpdate(db, actor.organizationId, existingId), 'Candidate');
      assertNotErased(current, `${path}.externalIds`);
      // Someone who works on some requisitions only may update a record they can see, or one that
      // applied nowhere yet; not another team's candidate named by its external ids.
      const scope = actor.requisitions ?? 'all';
      if (!seesAll(scope)) {
        const requisitions = await membersRepository.requisitionsOf(db, actor.organizationId, 'candidate', existingId);
        if (requisitions.length > 0 && !requisitions.some((id) => scope.includes(id))) {
          throw new AppError('conflict', 'These external ids name a candidate on requisitions you are not a member of: ask an admin or one of their members', {
            errors: [{ path: `${path}.externalIds`, message: 'names a candidate you cannot see' }],
          });
        }
      }
      const row = await updateCandidate(db, actor, current, input, path);
      await externalIdsRepository.attach(db, actor.organizationId, 'candidate', row.id, input.externalIds);
      return { row, created: false };
    }
    const columns = columnsOf(input, path);
    const emails = normalizeEmails(input.emails);
    await repo.lockIdentityKeys(db, actor.organizationId, identityKeys(emails, columns.phone));
    const created = await repo.create(
      db,
      actor.organizationId,
      newId(),
      { name: input.name, preferredName: columns.preferredName ?? null, phone: columns.phone ?? null, locale: columns.locale ?? null, timezone: columns.timezone ?? null },
      emails,
    );
    await externalIdsRepository.attach(db, actor.organizationId, 'candidate', created.id, input.externalIds);
    await auditRepository.record(db, actor, [
      { action: 'candidate.created', entity: 'candidate', entityId: created.id, after: { ...created, emails: emails.map((e) => e.address) } },
    ]);
    const links = await linkIdentities(
      db,
      actor,
      created,
      emails.map((e) => e.normalized),
      created.phone,
    );
    const row = links.length ? found(await repo.find(db, actor.organizationId, created.id), 'Candidate') : created;
    return { row, created: true };
  },

  async updateInTx(db: DbClient, actor: Actor, id: string, patch: CandidatePatch): Promise<CandidateRow> {
    const current = found(await repo.findForUpdate(db, actor.organizationId, id), 'Candidate');
    assertNotErased(current, 'params.id');
    return updateCandidate(db, actor, current, patch, 'body');
  },

  /** An explicit merge (from an ATS or a person): the two records are the same person. */
  async linkInTx(db: DbClient, actor: Actor, id: string, otherId: string, source: string, note: string | undefined) {
    if (id === otherId) throw validationFailed([{ path: 'body.candidateId', message: 'a record cannot be linked to itself' }]);
    // The other record must be one the caller sees too (the path's was checked by the route).
    const scope = actor.requisitions ?? 'all';
    if (!seesAll(scope)) assertVisible(scope, 'candidate', await membersRepository.requisitionsOf(db, actor.organizationId, 'candidate', otherId));
    const [a, b] = [id, otherId].sort() as [string, string];
    // Locked in id order so two opposite merges cannot deadlock.
    const first = found(await repo.findForUpdate(db, actor.organizationId, a), 'Candidate');
    const second = found(await repo.findForUpdate(db, actor.organizationId, b), 'Candidate');
    const [candidate, other] = first.id === id ? [first, second] : [second, first];
    assertNotErased(candidate, 'params.id');
    assertNotErased(other, 'body.candidateId');
    const links = await repo.addLinks(db, actor.organizationId, [
      { candidateId: candidate.id, linkedCandidateId: other.id, reason: 'merge', evidence: note ?? `${source} merge`, source },
    ]);
    await mergeGroups(db, actor, [candidate.id, other.id], links);
    const existing =
      links[0] ??
      (await repo.links(db, actor.organizationId, [candidate.id])).find(
        (l) => l.reason === 'merge' && l.linkedCandidateId === other.id && l.evidence === (note ?? `${source} merge`),
      );
    return found(existing, 'Identity link');
  },
};
