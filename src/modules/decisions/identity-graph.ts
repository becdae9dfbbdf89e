// Candidate records as a graph of shared identity keys: who is the same person, and the chain of
// evidence that says so. Recomputed from the raw facts (shared normalised emails and phones, ATS
// merges, stored identity groups) instead of trusting any single one of them.
import type { Evidence, PlanFacts } from './checks.js';

export function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

interface Edge {
  to: string;
  field: string;
  value: string;
}

export type IdentityGraph = Map<string, Edge[]>;

/** An edge wherever two records share an identity key. */
export function identityGraph(facts: Pick<PlanFacts, 'candidates' | 'links'>): IdentityGraph {
  const graph: IdentityGraph = new Map();
  const connect = (a: string, b: string, field: string, value: string) => {
    if (a === b) return;
    push(graph, a, { to: b, field, value });
    push(graph, b, { to: a, field, value });
  };
  // Most specific evidence first (the shortest path prefers it): shared keys, recorded links,
  // and last the stored identity group.
  const keys = new Map<string, string[]>();
  const persons = new Map<string, string[]>();
  for (const candidate of facts.candidates.values()) {
    for (const email of candidate.emails) push(keys, `email\u0000${email}`, candidate.id);
    if (candidate.phone) push(keys, `phone\u0000${candidate.phone}`, candidate.id);
    push(persons, `person_id\u0000${candidate.personId}`, candidate.id);
  }
  const connectGroups = (groups: Map<string, string[]>) => {
    for (const [key, ids] of groups) {
      // Most keys belong to one record: nothing to connect.
      if (ids.length < 2) continue;
      const [field, value] = key.split('\u0000') as [string, string];
      // A star is enough for reachability; it keeps large groups linear.
      for (const id of ids.slice(1)) connect(ids[0]!, id, field, value);
    }
  };
  connectGroups(keys);
  for (const link of facts.links) {
    connect(link.candidateId, link.linkedCandidateId, link.reason === 'merge' ? 'merge' : link.reason, link.evidence);
  }
  connectGroups(persons);
  return graph;
}

/** Connected components: records reachable from each other get the same label. */
export function components(graph: IdentityGraph, ids: Iterable<string>): Map<string, string> {
  const label = new Map<string, string>();
  for (const start of ids) {
    if (label.has(start)) continue;
    label.set(start, start);
    const stack = [start];
    while (stack.length > 0) {
      for (const edge of graph.get(stack.pop()!) ?? []) {
        if (!label.has(edge.to)) {
          label.set(edge.to, start);
          stack.push(edge.to);
        }
      }
    }
  }
  return label;
}

/** The shortest chain of shared keys from `from` to any of `targets`, or null. */
export function identityPath(graph: IdentityGraph, from: string, targets: Set<string>): Evidence[] | null {
  const previous = new Map<string, { from: string; edge: Edge }>();
  const queue = [from];
  const seen = new Set([from]);
  while (queue.length > 0) {
    const current = queue.shift()!;
    if (targets.has(current) && current !== from) {
      const path: Evidence[] = [];
      for (let at = current; at !== from; at = previous.get(at)!.from) {
        const step = previous.get(at)!;
        path.unshift({ candidateId: at, field: step.edge.field, value: step.edge.value });
      }
      return path;
    }
    for (const edge of graph.get(current) ?? []) {
      if (seen.has(edge.to)) continue;
      seen.add(edge.to);
      previous.set(edge.to, { from: current, edge });
      queue.push(edge.to);
    }
  }
  return null;
}
