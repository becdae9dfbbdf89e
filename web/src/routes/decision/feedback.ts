// A candidate's feedback as the recruiter writes it (list fields one per line) and as the API
// takes it (Feedback): the lint's findings, whose `field` and offsets point into the API's shape,
// mapped back onto the text the recruiter typed.
import type { Schemas } from '../../api/client';

export type ReasonCategory = Schemas['FeedbackInput']['reasonCategory'];
export const REASON_CATEGORIES: ReasonCategory[] = [
  'experience_level',
  'skills_gap',
  'position_filled',
  'internal_candidate',
  'hiring_freeze',
  'role_cancelled',
  'role_on_hold',
  'candidate_withdrew',
  'other',
];

export interface FeedbackDraft {
  reasonCategory: ReasonCategory;
  strengths: string;
  areasToImprove: string;
  personalNote: string;
  otherOpenings: string;
  talentPoolInvite: boolean;
}

export const emptyDraft = (): FeedbackDraft => ({
  reasonCategory: 'experience_level',
  strengths: '',
  areasToImprove: '',
  personalNote: '',
  otherOpenings: '',
  talentPoolInvite: false,
});

export type TextField = 'strengths' | 'areasToImprove' | 'personalNote' | 'otherOpenings';
/** Where each typed text goes in the API's shape. */
const API_FIELD: Record<TextField, string> = {
  strengths: 'strengths',
  areasToImprove: 'areasToImprove',
  personalNote: 'personalNote',
  otherOpenings: 'nextSteps.otherOpenings',
};

/** The non-empty lines of a text, trimmed as the API trims them, with where each starts in the text. */
function pieces(text: string, list: boolean): { text: string; start: number }[] {
  const parts = list ? text.split('\n') : [text];
  const out: { text: string; start: number }[] = [];
  let offset = 0;
  for (const part of parts) {
    const trimmed = part.trim();
    if (trimmed) out.push({ text: trimmed, start: offset + part.indexOf(trimmed) });
    offset += part.length + 1;
  }
  return out;
}

const isList = (field: TextField) => field !== 'personalNote';

export function toFeedback(draft: FeedbackDraft): Schemas['FeedbackInput'] {
  const lines = (field: TextField) => pieces(draft[field], true).map((p) => p.text);
  const note = draft.personalNote.trim();
  const openings = lines('otherOpenings');
  return {
    reasonCategory: draft.reasonCategory,
    strengths: lines('strengths'),
    areasToImprove: lines('areasToImprove'),
    competencies: [],
    ...(note ? { personalNote: note } : {}),
    ...(openings.length > 0 || draft.talentPoolInvite ? { nextSteps: { otherOpenings: openings, talentPoolInvite: draft.talentPoolInvite } } : {}),
  };
}

/** Whether the recruiter wrote anything worth sending (a reason alone is not feedback). */
export const hasText = (draft: FeedbackDraft) => (['strengths', 'areasToImprove', 'personalNote', 'otherOpenings'] as const).some((f) => draft[f].trim() !== '');

type Finding = Schemas['FeedbackLintFinding'];
export interface Located {
  finding: Finding;
  /** Offsets into the typed text; null for a finding about the field as a whole. */
  range: { start: number; end: number } | null;
}

/** The findings about one typed field, with their ranges in the typed text. */
export function findingsIn(draft: FeedbackDraft, field: TextField, findings: Finding[]): Located[] {
  const prefix = API_FIELD[field];
  const parts = pieces(draft[field], isList(field));
  return findings.flatMap((finding): Located[] => {
    if (!finding.field) return [];
    if (finding.field === prefix) {
      const part = isList(field) ? undefined : parts[0];
      return [{ finding, range: part && finding.end > finding.start ? { start: part.start + finding.start, end: part.start + finding.end } : null }];
    }
    if (!isList(field) || !finding.field.startsWith(`${prefix}.`)) return [];
    const part = parts[Number(finding.field.slice(prefix.length + 1))];
    if (!part) return [];
    return [{ finding, range: finding.end > finding.start ? { start: part.start + finding.start, end: part.start + finding.end } : null }];
  });
}

/** Findings not tied to any typed field (the feedback as a whole). */
export const generalFindings = (findings: Finding[]) => findings.filter((f) => !f.field || !Object.values(API_FIELD).some((p) => f.field === p || f.field!.startsWith(`${p}.`)));
