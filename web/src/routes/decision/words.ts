// A plan's checks and their evidence in words: the API's codes and evidence fields mapped to the
// catalogue's sentences, with the candidates' names in place of their ids. The API's own English
// message is the fallback for a code the catalogue does not know yet.
import type { Schemas } from '../../api/client';
import { en } from '../../i18n/en';
import { t, word, type MessageKey } from '../../i18n';

type Check = Schemas['Check'];
type Evidence = Check['evidence'][number];

/** Who a record or an application is, by name: the plan's items first, then the requisition's candidates. */
export interface Names {
  candidate(id: string | undefined): string | undefined;
  application(id: string | undefined): string | undefined;
}

export function namesOf(items: Schemas['PlanItem'][], candidates: Schemas['Candidate'][], applications: Schemas['Application'][]): Names {
  const byCandidate = new Map<string, string>(candidates.map((c) => [c.id, c.name]));
  for (const item of items) byCandidate.set(item.candidateId, item.candidateName);
  const candidateOfApplication = new Map<string, string>(applications.map((a) => [a.id, a.candidateId]));
  for (const item of items) candidateOfApplication.set(item.applicationId, item.candidateId);
  return {
    candidate: (id) => (id ? byCandidate.get(id) : undefined),
    application: (id) => (id ? byCandidate.get(candidateOfApplication.get(id) ?? '') : undefined),
  };
}

const has = (section: object, key: string) => Object.prototype.hasOwnProperty.call(section, key);

/** The check as a sentence about the person it concerns. */
export function checkSentence(check: Check, name: string): string {
  return has(en.decisionChecks, check.code) ? t(`decisionChecks.${check.code}` as MessageKey, { name }) : check.message;
}

// Checks whose evidence is the chain of shared keys that makes two records one person.
const IDENTITY_CHECKS = new Set<Check['code']>(['same_person_as_chosen', 'same_person_in_plan']);

/** One piece of evidence in words: which record, which field, which value. */
export function evidenceSentence(check: Check, evidence: Evidence, names: Names): string {
  const name = names.candidate(evidence.candidateId) ?? names.application(evidence.applicationId) ?? t('decision.anotherRecord');
  const value = evidence.value ?? '';
  if (IDENTITY_CHECKS.has(check.code) && has(en.decisionMatches, evidence.field)) {
    return t(`decisionMatches.${evidence.field}` as MessageKey, { name, value });
  }
  if (evidence.field === 'status') return t('decisionEvidence.status', { name, value: word('applicationStatuses', value) });
  if (evidence.field === 'messageKind') return t('decisionEvidence.messageKind', { name, value: word('kinds', value) });
  if (has(en.decisionEvidence, evidence.field)) return t(`decisionEvidence.${evidence.field}` as MessageKey, { name, value });
  return value ? `${name}: ${evidence.field} ${value}` : `${name}: ${evidence.field}`;
}

/** Names compared as a person would: case, accents' composition and spacing do not matter. */
export const sameName = (a: string, b: string) => {
  const norm = (s: string) => s.normalize('NFKC').toLocaleLowerCase().replace(/\s+/g, ' ').trim();
  return norm(a) !== '' && norm(a) === norm(b);
};
