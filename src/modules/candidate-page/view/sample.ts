// Sample pages for previews, the accessibility check (axe-core) and the view's tests: one with
// every part filled in, one with every optional part left out, and one built from a function
// that writes every text field.
import { feedbackContext, type SupportedLocale } from '../../templates/context.js';
import type { Formality } from '../../templates/formality.js';
import type { FeedbackPageModel } from './model.js';

export function samplePageModels(locale: SupportedLocale, formality: Formality = 'formal'): { full: FeedbackPageModel; minimal: FeedbackPageModel } {
  const full: FeedbackPageModel = {
    companyName: 'Northwind',
    accentColor: null,
    logoPath: null,
    roleTitle: 'Senior Backend Engineer',
    formality,
    opensTracked: false,
    links: { privacyPolicy: 'https://northwind.example/privacy', careers: 'https://northwind.example/careers' },
    candidateFirstName: 'Alex',
    candidateName: 'Alex Morgan',
    action: 'reject',
    kind: 'rejection_after_interview',
    decisionVisible: true,
    sentAt: new Date('2026-03-12T10:00:00Z'),
    feedback: feedbackContext(
      {
        reasonCategory: 'experience_level',
        strengths: ['Clear, well-structured system design', 'Thoughtful questions about on-call'],
        areasToImprove: ['Hands-on experience running Kubernetes in production'],
        competencies: [
          { name: 'System design', rating: 4, comment: 'Solid trade-offs under time pressure' },
          { name: 'Operations', rating: 2 },
        ],
        personalNote: 'It was a pleasure talking with you.\nI hope we cross paths again.',
        nextSteps: { otherOpenings: ['Backend Engineer (mid-level)'], talentPoolInvite: true },
      },
      locale,
    ),
    contact: { name: 'Sam Lee', email: 'sam.lee@northwind.example' },
    talentPool: { offered: true, member: false },
    rating: { value: 4, comment: 'Very clear, thank you.' },
    questions: [
      {
        question: 'Which Kubernetes topics would you suggest I focus on?',
        askedAt: new Date('2026-03-13T09:00:00Z'),
        answer: 'Start with running stateful workloads and with upgrades.',
        answeredAt: new Date('2026-03-14T15:30:00Z'),
      },
      { question: 'Could I apply again in six months?', askedAt: new Date('2026-03-15T08:00:00Z'), answer: null, answeredAt: null },
    ],
    openQuestion: true,
    dataRequests: [{ kind: 'export', createdAt: new Date('2026-03-16T12:00:00Z'), status: 'pending' }],
    notice: 'rating_saved',
    csrf: 'sample-csrf-token',
    actionBase: '/f/sample',
    timeZone: 'Europe/Paris',
  };
  const minimal: FeedbackPageModel = {
    ...full,
    sentAt: null,
    feedback: null,
    contact: { name: null, email: null },
    talentPool: { offered: false, member: false },
    rating: null,
    questions: [],
    openQuestion: false,
    dataRequests: [],
    notice: null,
    timeZone: null,
    links: { privacyPolicy: null, careers: null },
  };
  return { full, minimal };
}

const at = (iso: string) => new Date(iso);

/** A page with every part present, each text field written by `text(field)` (the injection tests fill them all with one payload). */
export function pageModelWith(text: (field: string) => string, overrides: Partial<FeedbackPageModel> = {}): FeedbackPageModel {
  return {
    companyName: text('companyName'),
    // Checked as #rrggbb through the API, not free text; a text here would be dropped (accentCss).
    accentColor: text('accentColor'),
    // A path the service builds from a hash, never text anyone wrote (the injection test adds one).
    logoPath: null,
    roleTitle: text('roleTitle'),
    formality: 'formal',
    opensTracked: true,
    // Set through the API as https URLs only (organizations.schemas.ts), not free text.
    links: { privacyPolicy: 'https://example.test/privacy', careers: 'https://example.test/careers' },
    candidateFirstName: text('candidateFirstName'),
    candidateName: text('candidateName'),
    action: 'reject',
    kind: 'rejection_after_interview',
    decisionVisible: true,
    sentAt: at('2026-03-12T10:00:00Z'),
    feedback: {
      reasonCategory: 'skills_gap',
      reasonLabel: text('reasonLabel'),
      strengths: [text('strength1'), text('strength2')],
      areasToImprove: [text('area')],
      competencies: [
        { name: text('competencyName'), rating: 3, comment: text('competencyComment') },
        { name: text('competencyName2'), rating: 5, comment: null },
      ],
      personalNote: text('personalNote'),
      nextSteps: { otherOpenings: [text('opening')], talentPoolInvite: true },
    },
    contact: { name: text('contactName'), email: text('contactEmail') },
    talentPool: { offered: true, member: false },
    rating: { value: 5, comment: text('ratingComment') },
    questions: [
      { question: text('question1'), askedAt: at('2026-03-13T09:00:00Z'), answer: text('answer1'), answeredAt: at('2026-03-14T09:00:00Z') },
      { question: text('question2'), askedAt: at('2026-03-15T09:00:00Z'), answer: null, answeredAt: null },
    ],
    openQuestion: false,
    dataRequests: [{ kind: 'deletion', createdAt: at('2026-03-16T09:00:00Z'), status: 'completed' }],
    notice: 'question_sent',
    csrf: text('csrf'),
    actionBase: `/f/${text('token')}`,
    timeZone: 'Europe/Berlin',
    ...overrides,
  };
}
