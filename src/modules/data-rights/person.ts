// Who "the person" is: every candidate record linked to the given one — the same stored identity
// group, a shared normalised email or phone, or a recorded merge — followed transitively, then
// judged with the same identity graph the confirmation checks use (decisions/identity-graph.ts),
// so an export and an erasure cover exactly the records a plan would treat as one person.
import type { DbClient } from '../../db/client.js';
import { components, identityGraph } from '../decisions/identity-graph.js';
import { hiringErasureRepository as hiring, type PersonRecord } from '../hiring/erasure.repository.js';

export interface Person {
  /** The record the request or the sweep started from. */
  candidateId: string;
  records: PersonRecord[];
  ids: string[];
}

export async function personOf(db: DbClient, organizationId: string, candidateId: string): Promise<Person> {
  const byId = new Map<string, PersonRecord>();
  let frontier = await hiring.records(db, organizationId, { ids: [candidateId] });
  let links: Awaited<ReturnType<typeof hiring.links>> = [];
  while (frontier.length > 0) {
    for (const record of frontier) byId.set(record.id, record);
    const ids = frontier.map((r) => r.id);
    const found = await hiring.links(db, organizationId, ids);
    links = [...links, ...found];
    const linked = found.flatMap((l) => [l.candidateId, l.linkedCandidateId]);
    const next = await hiring.records(db, organizationId, {
      ids: linked,
      personIds: frontier.map((r) => r.personId),
      emails: frontier.flatMap((r) => r.emails.map((e) => e.normalized)),
      phones: frontier.flatMap((r) => (r.phone ? [r.phone] : [])),
    });
    frontier = next.filter((r) => !byId.has(r.id));
  }
  // The graph decides: only records connected to the starting one are the person.
  const facts = {
    candidates: new Map(
      [...byId.values()].map((r) => [
        r.id,
        { id: r.id, name: r.name, personId: r.personId, emails: r.emails.map((e) => e.normalized), primaryAddress: null, phone: r.phone, locale: null },
      ]),
    ),
    links: links.filter((l) => byId.has(l.candidateId) && byId.has(l.linkedCandidateId)),
  };
  const label = components(identityGraph(facts), byId.keys());
  const mine = label.get(candidateId);
  const records = [...byId.values()].filter((r) => label.get(r.id) === mine);
  return { candidateId, records, ids: records.map((r) => r.id) };
}
