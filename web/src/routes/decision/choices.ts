// The recruiter's choices on the decision screen and the plan request they make: who is chosen,
// who is left out, each other applicant's message (by default the rejection that fits how far
// they got) and their feedback.
import type { Schemas } from '../../api/client';
import { hasText, toFeedback, type FeedbackDraft } from './feedback';

type ChosenAction = 'hire' | 'offer';
export const KINDS: string[] = ['rejection_after_interview', 'rejection_after_application', 'status_update', 'position_on_hold', 'position_cancelled', 'talent_pool_invite'];
const REJECTIONS = new Set<string>(['rejection_after_interview', 'rejection_after_application']);

/** The rule the API applies when it proposes the messages itself (a role change): a rejection after the interview once they had one, else after the application. */
export const defaultKind = (application: Schemas['Application']) => (application.lastInterviewAt ? 'rejection_after_interview' : 'rejection_after_application');

export interface Choices {
  action: ChosenAction;
  chosenId: string | null;
  leftOut: Set<string>;
  kinds: Record<string, string>;
  feedback: Record<string, FeedbackDraft>;
}

/** The body of POST /v1/requisitions/{id}/plans for these choices. */
export function planBody(choices: Choices, active: Schemas['Application'][]) {
  const targets = active.filter((a) => a.id !== choices.chosenId && !choices.leftOut.has(a.id));
  const kindOf = (a: Schemas['Application']) => choices.kinds[a.id] ?? defaultKind(a);
  return {
    chosen: choices.chosenId ? [{ applicationId: choices.chosenId, action: choices.action, messageKind: null }] : [],
    targets: { mode: 'list' as const, applicationIds: targets.map((a) => a.id) },
    // One action for the plan: a rejection when anyone is rejected (a mixed plan's kind_mismatch says so in words).
    action: targets.some((a) => REJECTIONS.has(kindOf(a))) || targets.length === 0 ? ('reject' as const) : ('update' as const),
    messageKind: targets[0] ? kindOf(targets[0]) : 'rejection_after_interview',
    messageKinds: Object.fromEntries(targets.map((a) => [a.id, kindOf(a)])),
    feedback: Object.fromEntries(targets.flatMap((a) => (choices.feedback[a.id] && hasText(choices.feedback[a.id]!) ? [[a.id, toFeedback(choices.feedback[a.id]!)]] : []))),
  };
}
