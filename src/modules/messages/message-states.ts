// A message's life, in one table: every status, every action that moves it, the states each
// action may start from, where it leads, and who may trigger it. Every write to `messages`
// (lifecycle.repository.ts) names its action and takes `from` from here, so a transition that is
// not in this table cannot happen, and the status groups other modules ask about exist once.
//
//   draft ─render─▶ pending_approval ─approve─▶ approved ─schedule─▶ scheduled ─claim─▶ sending ─▶ sent ─▶ delivered
//     ▲                 ▲    │                   │  ▲ ╲               │   ▲ ╲                │    ╲         ╲
//     create            edit  cancel         recall hold postpone  hold  retry  fail       lose   fail     bounce
//                                                                                          ▼
//                                                                                       unknown ─reconcile▶ sent / scheduled
//
// `held` is a check's answer (the chosen candidate, a newer decision, a suppressed address,
// content that is not what was approved): nothing went wrong with delivery, a person decides.
// `failed` is delivery's answer (Postmark refused, retries ran out, the outcome stayed unknown).
import type { MessageStatus } from '../../generated/prisma/enums.js';

export const MESSAGE_STATUSES = [
  'draft',
  'pending_approval',
  'approved',
  'scheduled',
  'sending',
  'sent',
  'delivered',
  'bounced',
  'held',
  'failed',
  'unknown',
  'recalled',
  'cancelled',
] as const satisfies readonly MessageStatus[];

/** Who may trigger an action: a person through the API, or one of Hearback's own processes. */
export type Trigger = 'person' | 'plan' | 'renderer' | 'delivery' | 'postmark' | 'ats' | 'facts';

export interface Transition {
  from: readonly MessageStatus[];
  to: readonly MessageStatus[];
  by: readonly Trigger[];
}

const t = (from: readonly MessageStatus[], to: readonly MessageStatus[], by: readonly Trigger[]): Transition => ({ from, to, by });

/** Every allowed move. `create` has no `from`: a message is born a draft. */
export const TRANSITIONS = {
  create: t([], ['draft'], ['plan']),
  render: t(['draft'], ['pending_approval'], ['renderer']),
  /** A new version goes back to a person; a recalled, held or failed one comes back this way. */
  edit: t(['draft', 'pending_approval', 'approved', 'scheduled', 'held', 'failed', 'recalled'], ['pending_approval'], ['person']),
  approve: t(['pending_approval'], ['approved'], ['person']),
  recall: t(['approved', 'scheduled'], ['recalled'], ['person']),
  cancel: t(['draft', 'pending_approval', 'approved', 'scheduled', 'held', 'failed'], ['cancelled'], ['person', 'ats', 'facts']),
  /** The fact that held it is gone (the offer was accepted): back to waiting for its time. */
  release: t(['held'], ['approved'], ['facts']),
  /** Sent again now; content that changed behind the approval goes back to a person instead. */
  retry: t(['held', 'failed'], ['approved', 'pending_approval'], ['person']),
  /** A changed send policy moves what is approved and not yet sent to the new time. */
  reschedule: t(['approved'], ['approved'], ['person']),
  schedule: t(['approved', 'scheduled'], ['scheduled'], ['delivery']),
  /** Its time moved later (an interview moved, the candidate's hours): back to waiting. */
  postpone: t(['scheduled'], ['approved'], ['delivery']),
  claim: t(['scheduled'], ['sending'], ['delivery']),
  /** A check stopped it: at send time, or as soon as the fact arrived. */
  hold: t(['approved', 'scheduled'], ['held'], ['delivery', 'facts']),
  markSent: t(['sending', 'delivered', 'bounced'], ['sent', 'delivered', 'bounced'], ['delivery']),
  /** Postmark said slow down or was unreachable before accepting anything. */
  backOff: t(['sending'], ['scheduled'], ['delivery']),
  /** No answer that says whether Postmark has it: nothing is sent again before a search. */
  lose: t(['sending'], ['unknown'], ['delivery']),
  reconcile: t(['unknown'], ['sent', 'scheduled', 'unknown'], ['delivery']),
  fail: t(['scheduled', 'sending', 'unknown'], ['failed'], ['delivery']),
  /** Proof of sending, whatever delivery's bookkeeping says yet. */
  deliver: t(['scheduled', 'sending', 'unknown', 'sent'], ['delivered'], ['postmark']),
  bounce: t(['sending', 'unknown', 'sent', 'delivered'], ['bounced'], ['postmark']),
} as const satisfies Record<string, Transition>;

export type MessageAction = keyof typeof TRANSITIONS;

export const fromStates = (action: MessageAction): MessageStatus[] => [...TRANSITIONS[action].from];

export const canTransition = (status: MessageStatus, action: MessageAction, to?: MessageStatus): boolean =>
  TRANSITIONS[action].from.includes(status) && (to === undefined || TRANSITIONS[action].to.includes(to));

/** Not sent yet and still going to be, unless someone stops it. */
export const PENDING: readonly MessageStatus[] = ['draft', 'pending_approval', 'approved', 'scheduled'];
/** Handed to Postmark, or possibly handed (its outcome is being found out). */
export const LEFT: readonly MessageStatus[] = ['sending', 'unknown', 'sent', 'delivered', 'bounced'];
/** Stopped before leaving; a person can bring it back (edit, retry). */
export const STOPPED: readonly MessageStatus[] = ['held', 'failed', 'recalled'];
/** Will never leave. */
export const FINAL: readonly MessageStatus[] = ['cancelled'];
