// The feedback lint's contract: finding codes, severities and the finding shape that the lint
// route and the approval queue will expose. Types come from the schemas, as everywhere else.
import { z } from 'zod';

export const severities = ['block', 'warn', 'info'] as const;
export const lintLanguages = ['en', 'fr', 'de', 'es', 'pt', 'it', 'nl'] as const;

export const protectedCodes = [
  'protected_age',
  'protected_gender',
  'protected_pregnancy_family',
  'protected_race_ethnicity',
  'protected_religion',
  'protected_disability_health',
  'protected_nationality_accent',
  'protected_marital_status',
  'protected_sexual_orientation',
] as const;

export const findingCodes = [
  ...protectedCodes,
  // Work authorisation is a lawful question, not a protected characteristic: informational only.
  'work_authorization',
  'vague_phrase',
  'no_actionable_improvement',
  // The feedback is in another language than the message it goes into.
  'language_mismatch',
] as const;

/** Coarse grouping of codes, for filters and UI sections. */
export const findingCategories = ['protected', 'eligibility', 'clarity', 'actionability'] as const;

export const findingSchema = z
  .object({
    code: z.enum(findingCodes),
    severity: z.enum(severities),
    message: z.string().max(1000),
    /** Path of the structured-feedback field, e.g. `strengths.1`; absent for plain text. */
    field: z.string().max(100).optional(),
    /** UTF-16 offsets into that field's original text; `text.slice(start, end) === excerpt`. */
    start: z.int32().min(0),
    end: z.int32().min(0),
    excerpt: z.string().max(2000),
    category: z.enum(findingCategories).optional(),
  })
  .meta({ id: 'FeedbackLintFinding' });

export type Severity = (typeof severities)[number];
export type LintLanguage = (typeof lintLanguages)[number];
export type ProtectedCode = (typeof protectedCodes)[number];
export type FindingCode = (typeof findingCodes)[number];
export type FindingCategory = (typeof findingCategories)[number];
export type Finding = z.infer<typeof findingSchema>;

export interface LintOptions {
  /** The candidate's locale (`fr`, `de-AT`, ...). Chooses the message language only: every term
   *  list runs on every text, since recruiters mix languages. */
  locale: LintLanguage | (string & {});
  /** The message kind (rejection_after_interview, position_on_hold, ...): a message about the
   *  role, not the candidate, is not asked for something to improve. */
  kind?: string;
}

export interface LintSummary {
  block: number;
  warn: number;
  info: number;
  highest: Severity | null;
}
