// The decision screen's pure parts: feedback typed one item per line becomes the API's Feedback,
// the lint's findings (field path and offsets into the API's trimmed strings) land back on the
// typed text, checks and evidence read as sentences, and the typed name matches loosely.
// Type-checked with the web app's tsconfig (browser modules, bundler resolution), run by vitest in node.
import { describe, expect, it } from 'vitest';
import { planBody } from '../../web/src/routes/decision/choices.js';
import { emptyDraft, findingsIn, generalFindings, toFeedback } from '../../web/src/routes/decision/feedback.js';
import { checkSentence, evidenceSentence, namesOf, sameName } from '../../web/src/routes/decision/words.js';

const finding = (field: string | undefined, start: number, end: number, excerpt: string) => ({
  code: 'protected_age' as const,
  severity: 'block' as const,
  message: 'about age',
  ...(field === undefined ? {} : { field }),
  start,
  end,
  excerpt,
});

describe('feedback typed one item per line', () => {
  const draft = { ...emptyDraft(), areasToImprove: '  Spark tuning \n\n   a younger profile\n', personalNote: '  Thanks, truly.  ', otherOpenings: 'Data Analyst' };

  it('becomes the API’s shape: trimmed, blank lines dropped, empty parts left out', () => {
    expect(toFeedback(draft)).toEqual({
      reasonCategory: 'experience_level',
      strengths: [],
      areasToImprove: ['Spark tuning', 'a younger profile'],
      competencies: [],
      personalNote: 'Thanks, truly.',
      nextSteps: { otherOpenings: ['Data Analyst'], talentPoolInvite: false },
    });
    expect(toFeedback(emptyDraft())).not.toHaveProperty('personalNote');
    expect(toFeedback(emptyDraft())).not.toHaveProperty('nextSteps');
  });

  it('places each finding on the typed text, past blank lines and indentation', () => {
    const [located] = findingsIn(draft, 'areasToImprove', [finding('areasToImprove.1', 2, 9, 'younger')]);
    expect(draft.areasToImprove.slice(located!.range!.start, located!.range!.end)).toBe('younger');
    const [note] = findingsIn(draft, 'personalNote', [finding('personalNote', 0, 6, 'Thanks')]);
    expect(draft.personalNote.slice(note!.range!.start, note!.range!.end)).toBe('Thanks');
    const [opening] = findingsIn(draft, 'otherOpenings', [finding('nextSteps.otherOpenings.0', 5, 12, 'Analyst')]);
    expect(opening!.range).toEqual({ start: 5, end: 12 });
  });

  it('keeps a finding about a whole field in words, without a range, and the rest as general findings', () => {
    const whole = finding('areasToImprove', 0, 0, '');
    expect(findingsIn(draft, 'areasToImprove', [whole])).toEqual([{ finding: whole, range: null }]);
    expect(findingsIn(draft, 'strengths', [whole])).toEqual([]);
    const other = finding('competencies.0.comment', 0, 3, 'old');
    expect(generalFindings([whole, other, finding(undefined, 0, 0, '')])).toHaveLength(2);
  });
});

describe('the plan in words', () => {
  const items = [
    { applicationId: 'a1', candidateId: 'c1', candidateName: 'Jane Doe' },
    { applicationId: 'a2', candidateId: 'c2', candidateName: 'jane doe' },
  ] as Parameters<typeof namesOf>[0];
  const names = namesOf(items, [], []);

  it('says which record matched which on what', () => {
    const check = { code: 'same_person_as_chosen' as const, severity: 'block' as const, message: 'api words', evidence: [] };
    expect(checkSentence(check, 'jane doe')).toBe('jane doe is the same person as the chosen candidate, under another record.');
    expect(evidenceSentence(check, { candidateId: 'c1', field: 'email', value: 'jane.doe@x.test' }, names)).toBe(
      'Matched on the email address jane.doe@x.test, which Jane Doe’s record has too.',
    );
    const warn = { code: 'suppressed_recipient' as const, severity: 'warn' as const, message: 'api words', evidence: [] };
    expect(evidenceSentence(warn, { candidateId: 'c2', field: 'email', value: 'jane.doe@x.test' }, names)).toBe('jane doe’s email address: jane.doe@x.test.');
    expect(evidenceSentence(check, { applicationId: 'a9', field: 'status', value: 'offered' }, names)).toBe('another record’s application is Offered.');
  });

  it('falls back to the API’s message for a check it does not know', () => {
    const check = { code: 'brand_new' as 'kind_mismatch', severity: 'warn' as const, message: 'The API says so', evidence: [] };
    expect(checkSentence(check, 'Jane Doe')).toBe('The API says so');
  });

  it('matches the typed name whatever its case and spacing', () => {
    expect(sameName('  jane   DOE ', 'Jane Doe')).toBe(true);
    expect(sameName('Jane Dough', 'Jane Doe')).toBe(false);
    expect(sameName('', '')).toBe(false);
  });
});

describe('the choices as a plan request', () => {
  const application = (id: string, interviewed: boolean) => ({ id, lastInterviewAt: interviewed ? '2026-12-01T10:00:00.000Z' : null }) as Parameters<typeof planBody>[1][number];
  const active = [application('chosen', true), application('met', true), application('applied', false), application('twin', false)];

  it('names the chosen, lists everyone else not left out, with the message their stage calls for and only the feedback written', () => {
    const body = planBody(
      { action: 'offer', chosenId: 'chosen', leftOut: new Set(['twin']), kinds: {}, feedback: { met: { ...emptyDraft(), strengths: 'Clear' }, applied: emptyDraft() } },
      active,
    );
    expect(body.chosen).toEqual([{ applicationId: 'chosen', action: 'offer', messageKind: null }]);
    expect(body.targets).toEqual({ mode: 'list', applicationIds: ['met', 'applied'] });
    expect(body.messageKinds).toEqual({ met: 'rejection_after_interview', applied: 'rejection_after_application' });
    expect(body.action).toBe('reject');
    expect(Object.keys(body.feedback)).toEqual(['met']);
  });

  it('is a status update when nobody is rejected', () => {
    const kinds = { met: 'position_on_hold', applied: 'position_on_hold', twin: 'position_on_hold' };
    expect(planBody({ action: 'hire', chosenId: 'chosen', leftOut: new Set(), kinds, feedback: {} }, active).action).toBe('update');
  });
});
