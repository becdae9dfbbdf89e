// The feedback lint: a pure function from feedback text to findings (protected characteristics
// and their proxies, vague phrases, feedback with nothing to act on). No I/O, no clock, no
// state beyond regexes compiled once at import (and, on first use, which of them a text can
// match: prefilter.ts), so the route, the approval queue and the sender all judge a text exactly
// the same way.
//
// Matching runs on a folded copy of the text (fold.ts) and maps every span back to UTF-16
// offsets in the original, so `text.slice(start, end)` is always what the recruiter wrote.
// Every language's list runs on every text: recruiters mix languages, and a French note to a
// German candidate is no less discriminatory for it. The locale only picks the message language.
import type { Feedback } from '../feedback.schemas.js';
import { fold } from './fold.js';
import { dominantLanguage } from './language.js';
import type { Finding, FindingCategory, FindingCode, LintLanguage, LintOptions, LintSummary, Severity } from './lint.schemas.js';
import { messageFor, messageLanguage } from './messages.js';
import { prefilter, type Prefilter } from './prefilter.js';
import { compileGroup, startsWord, type TermList } from './terms.js';
import { de } from './terms.de.js';
import { en } from './terms.en.js';
import { es } from './terms.es.js';
import { fr } from './terms.fr.js';
import { it } from './terms.it.js';
import { nl } from './terms.nl.js';
import { pt } from './terms.pt.js';

export type { Finding, FindingCode, LintOptions, LintSummary, Severity } from './lint.schemas.js';

export const termLists: readonly TermList[] = [en, fr, de, es, pt, it, nl];

interface CompiledGroup {
  language: LintLanguage;
  code: FindingCode;
  severity: Severity;
  regex: RegExp;
}

const compiled: readonly CompiledGroup[] = termLists.flatMap((list) =>
  list.groups.map((group) => ({ language: list.language, code: group.code, severity: group.severity, regex: compileGroup(group.patterns) })),
);

/** Which groups may match a text (built on first use: listing the groups' prefixes takes ~0.1 s). */
let groupsFilter: Prefilter | undefined;

const rank: Readonly<Record<Severity, number>> = { block: 3, warn: 2, info: 1 };

interface Match {
  readonly start: number;
  readonly end: number;
  readonly code: FindingCode;
  readonly severity: Severity;
  readonly language: LintLanguage;
}

function categoryOf(code: FindingCode): FindingCategory {
  if (code === 'work_authorization') return 'eligibility';
  if (code === 'vague_phrase' || code === 'language_mismatch') return 'clarity';
  if (code === 'no_actionable_improvement') return 'actionability';
  return 'protected';
}

/**
 * The matches of texts seen recently: the lint is pure, and a plan's messages repeat texts
 * (competency names, a team's standard phrases), each of which costs every group's regex.
 * Bounded in count and length; the match objects are never changed once made.
 */
const matchesSeen = new Map<string, readonly Match[]>();
const MATCHES_SEEN_MAX = 4096;
const MATCHES_SEEN_TEXT_MAX = 1000;

function matchAll(text: string): readonly Match[] {
  if (text.length > MATCHES_SEEN_TEXT_MAX) return scan(text);
  let found = matchesSeen.get(text);
  if (!found) {
    if (matchesSeen.size >= MATCHES_SEEN_MAX) matchesSeen.clear();
    matchesSeen.set(text, (found = scan(text)));
  }
  return found;
}

function scan(text: string): Match[] {
  const folded = fold(text);
  const matches: Match[] = [];
  const candidates = (groupsFilter ??= prefilter(compiled.map((group) => group.regex))).candidates(folded.text);
  for (let index = 0; index < compiled.length; index++) {
    // No word of the text starts the way any of this group's matches start.
    if (candidates[index] === 0) continue;
    const group = compiled[index]!;
    const { regex } = group;
    regex.lastIndex = 0;
    for (let found = regex.exec(folded.text); found !== null; found = regex.exec(folded.text)) {
      const length = found[0].length;
      if (length === 0 || !startsWord(folded.text, found.index)) {
        // Every alternative fails at this position alike, so the next one is where to look.
        regex.lastIndex = found.index + 1;
        continue;
      }
      const start = folded.starts[found.index];
      const end = folded.ends[found.index + length - 1];
      if (start === undefined || end === undefined) continue;
      matches.push({ start, end, code: group.code, severity: group.severity, language: group.language });
    }
  }
  return matches;
}

/**
 * One finding per stretch of text: where spans overlap, the most severe wins, then the longest
 * (the more specific term: "mature candidate" over "mature"), then the one from the candidate's
 * language. Stacked highlights on the same words help nobody, and the winner already makes the
 * recruiter rewrite them.
 */
function resolveOverlaps(matches: readonly Match[], preferred: LintLanguage, length: number): Match[] {
  const byStrength = [...matches].sort(
    (a, b) =>
      rank[b.severity] - rank[a.severity] || b.end - b.start - (a.end - a.start) || Number(b.language === preferred) - Number(a.language === preferred) || a.start - b.start,
  );
  // Which UTF-16 units are already claimed: linear in the text, however many findings there are.
  const claimed = new Uint8Array(length);
  const kept: Match[] = [];
  for (const match of byStrength) {
    if (claimed.subarray(match.start, match.end).includes(1)) continue;
    claimed.fill(1, match.start, match.end);
    kept.push(match);
  }
  return kept.sort((a, b) => a.start - b.start || a.end - b.end);
}

function findingsFor(text: string, language: LintLanguage, field: string | undefined): Finding[] {
  return resolveOverlaps(matchAll(text), language, text.length).map((match) => {
    const excerpt = text.slice(match.start, match.end);
    return {
      code: match.code,
      severity: match.severity,
      message: messageFor(match.code, excerpt, language),
      ...(field === undefined ? {} : { field }),
      start: match.start,
      end: match.end,
      excerpt,
      category: categoryOf(match.code),
    };
  });
}

/** Lints one piece of free text; findings are ordered by offset and never overlap. */
export function lintText(text: string, options: LintOptions): Finding[] {
  return findingsFor(text, messageLanguage(options.locale), undefined);
}

/** Every string of the structured feedback with its path, in the order the message shows them. */
export function feedbackFields(feedback: Feedback): { field: string; text: string }[] {
  return [
    ...feedback.strengths.map((text, index) => ({ field: `strengths.${index}`, text })),
    ...feedback.areasToImprove.map((text, index) => ({ field: `areasToImprove.${index}`, text })),
    ...feedback.competencies.flatMap((competency, index) => [
      { field: `competencies.${index}.name`, text: competency.name },
      ...(competency.comment === undefined ? [] : [{ field: `competencies.${index}.comment`, text: competency.comment }]),
    ]),
    ...(feedback.personalNote === undefined ? [] : [{ field: 'personalNote', text: feedback.personalNote }]),
    ...(feedback.nextSteps?.otherOpenings ?? []).map((text, index) => ({ field: `nextSteps.otherOpenings.${index}`, text })),
  ];
}

// Reasons that say nothing about the candidate's performance: "nothing to improve" is the honest
// answer there, so the finding is a reminder (info), not a warning the recruiter learns to ignore.
// For every other reason, skills_gap and experience_level included, it stays a warning and never
// blocks: missing advice makes feedback less useful, not harmful, and blocking findings are
// reserved for text that must not reach a candidate.
const reasonsOutsideTheCandidate: ReadonlySet<Feedback['reasonCategory']> = new Set(['position_filled', 'hiring_freeze', 'role_cancelled', 'role_on_hold', 'candidate_withdrew']);

// Messages about the role itself (paused, cancelled): nothing about the candidate to improve,
// so no finding at all, not even a reminder.
const kindsAboutTheRole: ReadonlySet<string> = new Set(['position_on_hold', 'position_cancelled']);

function actionabilityFinding(feedback: Feedback, language: LintLanguage, kind: string | undefined): Finding | null {
  if (kind !== undefined && kindsAboutTheRole.has(kind)) return null;
  if (feedback.areasToImprove.length > 0) return null;
  const commentedWeakness = feedback.competencies.some((competency) => competency.rating <= 3 && competency.comment !== undefined && competency.comment.trim() !== '');
  if (commentedWeakness) return null;
  return {
    code: 'no_actionable_improvement',
    severity: reasonsOutsideTheCandidate.has(feedback.reasonCategory) ? 'info' : 'warn',
    message: messageFor('no_actionable_improvement', '', language),
    field: 'areasToImprove',
    start: 0,
    end: 0,
    excerpt: '',
    category: 'actionability',
  };
}

// A language's name in another (Intl.DisplayNames: building one, and each lookup, costs more
// than linting a short text): 7 × 7 at most.
const languageNames = new Map<string, string>();
function languageName(language: LintLanguage, of: LintLanguage): string {
  const key = `${language}|${of}`;
  let name = languageNames.get(key);
  if (name === undefined) languageNames.set(key, (name = new Intl.DisplayNames([language], { type: 'language' }).of(of) ?? of));
  return name;
}

/**
 * Feedback in another language than the message it goes into: the candidate would read two
 * languages in one email. Judged on all the feedback's words together (one short item says
 * little), and placed on the first field that is itself clearly in that language.
 */
function languageFinding(feedback: Feedback, language: LintLanguage): Finding | null {
  const fields = feedbackFields(feedback);
  const written = dominantLanguage(fields.map((f) => f.text).join('\n'));
  if (written === null || written === language) return null;
  const field = fields.find((f) => dominantLanguage(f.text, 2) === written)?.field;
  const name = languageName(language, written);
  return {
    code: 'language_mismatch',
    severity: 'warn',
    message: messageFor('language_mismatch', name, language),
    ...(field === undefined ? {} : { field }),
    start: 0,
    end: 0,
    excerpt: '',
    category: 'clarity',
  };
}

/** Lints every string of the feedback; findings come in field order, then by offset (a language mismatch, about all of it, first). */
export function lintFeedback(feedback: Feedback, options: LintOptions): Finding[] {
  const language = messageLanguage(options.locale);
  let pending = actionabilityFinding(feedback, language, options.kind);
  const mismatch = languageFinding(feedback, language);
  const findings: Finding[] = mismatch ? [mismatch] : [];
  for (const { field, text } of feedbackFields(feedback)) {
    // The actionability finding sits where areasToImprove would be: right after the strengths.
    if (pending !== null && !field.startsWith('strengths.')) {
      findings.push(pending);
      pending = null;
    }
    findings.push(...findingsFor(text, language, field));
  }
  if (pending !== null) findings.push(pending);
  return findings;
}

export function summarize(findings: readonly Finding[]): LintSummary {
  const summary: LintSummary = { block: 0, warn: 0, info: 0, highest: null };
  for (const finding of findings) summary[finding.severity] += 1;
  summary.highest = summary.block > 0 ? 'block' : summary.warn > 0 ? 'warn' : summary.info > 0 ? 'info' : null;
  return summary;
}
