// The three rules every module asks the messages module about, each in one place: when an
// approved message may go out, how long its feedback link works, and what an approval is bound to.
import { sha256Hex } from '../../lib/hash.js';
import { computeSendAt, type SendPolicy } from './send-time.js';

const DAY_MS = 86_400_000;

/** What the send time depends on besides the organization's policy. */
export interface SendFacts {
  action: string;
  lastInterviewAt: Date | null;
  timezone: string | null;
}

/**
 * When a message approved at `approvedAt` may go out. Delivery asks again at dispatch with the
 * facts as they are then, passing the moment as if it had just been approved minus the undo
 * window already served; both go through here, so they cannot disagree.
 */
export const sendTime = (approvedAt: Date, facts: SendFacts, policy: SendPolicy): Date =>
  computeSendAt({ approvedAt, isRejection: facts.action === 'reject', lastInterviewAt: facts.lastInterviewAt, timezone: facts.timezone }, policy);

/** The send time asked again at dispatch: the undo window is already behind it. */
export const sendTimeAtDispatch = (at: Date, facts: SendFacts, policy: SendPolicy): Date => sendTime(new Date(at.getTime() - policy.undoWindowMinutes * 60_000), facts, policy);

/** A feedback link works for the organization's number of days from when the email left. */
export const linkExpiresAt = (sentAt: Date, policy: { feedbackLinkDays: number }): Date => new Date(sentAt.getTime() + policy.feedbackLinkDays * DAY_MS);

/** What an approval is bound to: the sender refuses content whose hash differs from the approved one. */
export const contentHashOf = (content: { subject: string | null; html: string | null; text: string | null }) =>
  sha256Hex(`${content.subject}\u0000${content.html}\u0000${content.text}`);
