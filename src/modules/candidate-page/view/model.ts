// What the candidate's page shows, as plain data: the route loads it (message, feedback,
// candidate actions) and the view renders it. Nothing here reads a database or a request.
import type { TemplateContext } from '../../templates/context.js';
import type { Formality } from '../../templates/formality.js';

/** The structured feedback as templates see it (`feedbackContext` in templates/context.ts). */
export type PageFeedback = NonNullable<TemplateContext['feedback']>;

export interface PageQuestion {
  question: string;
  askedAt: Date;
  /** The recruiter's answer (through the API); null while it awaits one. */
  answer: string | null;
  answeredAt: Date | null;
}

export interface PageDataRequest {
  kind: 'export' | 'deletion';
  createdAt: Date;
  status: 'pending' | 'completed';
}

/** What to say after a POST-redirect-GET: a confirmation, or why the form was refused. */
export const noticeKeys = [
  'talent_pool_joined',
  'talent_pool_left',
  'rating_saved',
  'question_sent',
  'data_export_requested',
  'data_deletion_requested',
  'rate_limited',
  'invalid_input',
  'form_expired',
  'question_already_open',
] as const;
export type NoticeKey = (typeof noticeKeys)[number];

const errorNotices: ReadonlySet<NoticeKey> = new Set(['rate_limited', 'invalid_input', 'form_expired', 'question_already_open']);

/** Errors are announced as alerts, confirmations as status messages. */
export const isErrorNotice = (key: NoticeKey): boolean => errorNotices.has(key);

export interface FeedbackPageModel {
  companyName: string;
  /** The organization's accent (#rrggbb): links, buttons and focus rings. */
  accentColor: string | null;
  /** The organization's logo, a path on this origin (/logos/{sha256}); null shows the name. */
  logoPath: string | null;
  roleTitle: string;
  /** The register the organization writes this language in: the page speaks as its emails do. */
  formality: Formality;
  /** The preferred name, else the first name (hiring/names.ts). */
  candidateFirstName: string;
  /** The full name: German greets formally with it, as the German emails do. */
  candidateName: string;
  /** The message's plan action (reject, update, hire, offer) and kind (rejection_after_interview, ...). */
  action: string;
  kind: string;
  /** False until the email has actually been sent: the page then shows no decision at all. */
  decisionVisible: boolean;
  sentAt: Date | null;
  feedback: PageFeedback | null;
  /** The recruiter named on the message; both null when there is nobody to name. */
  contact: { name: string | null; email: string | null };
  /** `offered`: this candidate is invited to the talent pool (feedback or message kind); shown when offered or a member. */
  talentPool: { offered: boolean; member: boolean };
  rating: { value: number; comment: string | null } | null;
  /** Oldest first. */
  questions: PageQuestion[];
  /** A question awaits its answer: no new one can be asked until it is answered. */
  openQuestion: boolean;
  /** Oldest first. */
  dataRequests: PageDataRequest[];
  notice: NoticeKey | null;
  csrf: string;
  /** Where the forms post, without a trailing slash: `/f/{token}`. */
  actionBase: string;
  /** The candidate's IANA time zone for dates; UTC when null or unknown. */
  timeZone: string | null;
  /** The organization's emails report when they are opened (Postmark open tracking): the page says so. */
  opensTracked: boolean;
  /** The organization's privacy policy and careers page (https, checked when set), or null. */
  links: { privacyPolicy: string | null; careers: string | null };
}

/** How the page words the decision. */
export const decisionKeys = ['not_moving_forward', 'still_deciding', 'on_hold', 'position_cancelled', 'talent_pool_invite', 'update'] as const;
export type DecisionKey = (typeof decisionKeys)[number];

const decisionByKind: Record<string, DecisionKey> = {
  rejection_after_interview: 'not_moving_forward',
  rejection_after_application: 'not_moving_forward',
  status_update: 'still_deciding',
  position_on_hold: 'on_hold',
  position_cancelled: 'position_cancelled',
  talent_pool_invite: 'talent_pool_invite',
};

/**
 * The wording for a message. Only a `reject` action ever reads "not moving forward": a hire,
 * an offer or an action we do not know gets the neutral update, whatever its kind says.
 */
export function decisionOf(action: string, kind: string): DecisionKey {
  if (action !== 'reject' && action !== 'update') return 'update';
  const byKind = decisionByKind[kind];
  if (byKind === 'not_moving_forward') return action === 'reject' ? byKind : 'update';
  if (byKind) return byKind;
  return action === 'reject' ? 'not_moving_forward' : 'update';
}

/** The reason category a decision's own wording already says (no "because the role is on hold" after "we paused hiring"). */
const reasonSaidByDecision: Partial<Record<DecisionKey, string>> = { on_hold: 'role_on_hold', position_cancelled: 'role_cancelled' };
const decisionsWithReason: ReadonlySet<DecisionKey> = new Set(['not_moving_forward', 'on_hold', 'position_cancelled']);

/** The reason clause to print after the decision, if any (`other` is explained in the feedback itself). */
export function decisionReason(decision: DecisionKey, feedback: PageFeedback | null): string | null {
  if (!feedback || !decisionsWithReason.has(decision)) return null;
  if (feedback.reasonCategory === 'other' || feedback.reasonCategory === reasonSaidByDecision[decision]) return null;
  return feedback.reasonLabel;
}
