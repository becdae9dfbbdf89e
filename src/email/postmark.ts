// Talking to Postmark with the official client, and judging every answer: which messages were
// accepted, which failed for good, which may be retried, and which are unknown (the request may
// have reached Postmark: a timeout, a connection dropped after sending). Only the last kind
// needs reconciliation before any resend; getting that line right is what "exactly once" rests on.
import { Errors, ServerClient } from 'postmark';
import { retryAfterMs } from '../lib/retry-after.js';

export interface PostmarkEndpoint {
  /** POSTMARK_API_URL: https://api.postmarkapp.com, or the local Postmark-compatible server. */
  apiUrl: string;
  timeoutMs: number;
}

export interface OutgoingEmail {
  messageId: string;
  from: string;
  /** `"Name" <address>` (fromHeader): the candidate's name, not a bare address. */
  to: string;
  /** Where a reply goes (a person or a shared inbox); null: to From. */
  replyTo: string | null;
  /** Postmark open tracking: the organization's choice, disclosed on the candidate's page. */
  trackOpens: boolean;
  subject: string;
  html: string;
  text: string;
  tag: string;
  stream: string;
  organizationId: string;
}

/**
 * `Name <address>` for From, To and Reply-To. A plain ASCII name goes in quotes (RFC 5322); a
 * name with other letters, quotes or backslashes as RFC 2047 encoded-words, which are ASCII and
 * need no escaping (Postmark's parser has refused escaped quoted strings). Control characters,
 * a header injection, become spaces.
 */
export function fromHeader(email: string, name: string | null): string {
  // Control characters (a header injection) become spaces.
  const display = (name ?? '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!display) return email;
  if (/^[\x20-\x7e]*$/.test(display) && !/["\\]/.test(display)) return `"${display}" <${email}>`;
  return `${encodedWords(display)} <${email}>`;
}

/** RFC 2047 `=?UTF-8?B?...?=` words of at most 75 characters, never splitting a character. */
function encodedWords(text: string): string {
  const words: string[] = [];
  let chunk = '';
  for (const char of text) {
    if (Buffer.byteLength(chunk + char) > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word).toString('base64')}?=`).join(' ');
}

/**
 * Our id travels in Postmark's Metadata: webhooks carry it back and search can find it. Postmark
 * allows field names of at most 20 characters.
 */
export const METADATA_MESSAGE_ID = 'hearback_message_id';
export const METADATA_ORGANIZATION_ID = 'hearback_org_id';

export type EntryOutcome =
  { kind: 'sent'; postmarkMessageId: string; submittedAt: Date } | { kind: 'failed'; code: string; reason: string; postmarkErrorCode: number; suppress: boolean };

export type BatchFailure =
  /** Nothing was sent: try again after the delay (Retry-After when Postmark gave one). */
  | { kind: 'retry'; reason: string; retryAfterMs: number | null }
  /** Postmark refused the whole request for good (bad token, invalid request). */
  | { kind: 'final'; code: string; reason: string }
  /** Postmark may have accepted some or all: search before sending again. */
  | { kind: 'ambiguous'; reason: string };

export type BatchResult = { kind: 'answered'; entries: EntryOutcome[] } | BatchFailure;

/** Connection errors that prove the request never reached Postmark. */
const NOT_SENT_CAUSES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'CERT_HAS_EXPIRED']);

/** Postmark's per-message ErrorCodes that mean the recipient cannot receive mail from us. */
const INACTIVE_RECIPIENT = 406;

/** The error's cause chain, e.g. `fetch failed (ECONNREFUSED)`: the client keeps only the message. */
function describeFetchError(error: unknown): Error {
  const codes: string[] = [];
  for (let cause = (error as { cause?: unknown }).cause; cause && codes.length < 5; cause = (cause as { cause?: unknown }).cause) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
  }
  const base = error instanceof Error ? error.message : String(error);
  return new Error(codes.length ? `${base} (${codes.join(', ')})` : base);
}

export interface PostmarkSession {
  client: ServerClient;
  /** The Retry-After of the last 429/503 answer, in ms (the client drops headers). */
  retryAfterMs(): number | null;
}

/**
 * A client for one job's calls. Its fetch keeps the low-level cause of a network error in the
 * message (so a refused connection is told apart from one dropped after sending) and the last
 * Retry-After header.
 */
export function createPostmarkSession(serverToken: string, endpoint: PostmarkEndpoint): PostmarkSession {
  let retryAfter: number | null = null;
  const sessionFetch: typeof fetch = async (input, init) => {
    let response: Response;
    try {
      response = await fetch(input, init);
    } catch (error) {
      throw describeFetchError(error);
    }
    retryAfter = retryAfterMs(response.headers.get('retry-after'));
    return response;
  };
  const url = new URL(endpoint.apiUrl);
  const client = new ServerClient(serverToken, {
    useHttps: url.protocol === 'https:',
    requestHost: `${url.host}${url.pathname.replace(/\/$/, '')}`,
    // The client counts seconds; the config caps the timeout at 30 s.
    timeout: Math.max(1, Math.round(endpoint.timeoutMs / 1000)),
    fetch: sessionFetch,
  });
  return { client, retryAfterMs: () => retryAfter };
}

/** Classifies a thrown client error (HTTP status, or a network failure with status 0). */
export function classifyError(error: unknown, retryAfterMs: number | null = null): BatchFailure {
  if (!(error instanceof Errors.PostmarkError)) return { kind: 'ambiguous', reason: (error as Error)?.message ?? String(error) };
  const reason = `${error.message}`.slice(0, 500);
  const status = error.statusCode;
  if (status === 0) {
    const cause = /\(([A-Z_, ]+)\)$/.exec(error.message)?.[1]?.split(', ') ?? [];
    return cause.some((c) => NOT_SENT_CAUSES.has(c)) ? { kind: 'retry', reason, retryAfterMs: null } : { kind: 'ambiguous', reason };
  }
  if (status === 401) return { kind: 'final', code: 'postmark_unauthorized', reason: `Postmark refused the server token: ${reason}` };
  if (status === 429 || status >= 500) return { kind: 'retry', reason: `Postmark answered ${status}: ${reason}`, retryAfterMs };
  if (status === 422 || (status >= 400 && status < 500)) {
    return { kind: 'final', code: 'postmark_rejected', reason: `Postmark refused the request (${status}, ErrorCode ${error.code}): ${reason}` };
  }
  // A 2xx/3xx that the client could not read: the request was processed.
  return { kind: 'ambiguous', reason: `unexpected answer ${status}: ${reason}` };
}

function entryOutcome(entry: { ErrorCode: number; Message: string; MessageID?: string; SubmittedAt?: string } | undefined): EntryOutcome | null {
  if (!entry || typeof entry.ErrorCode !== 'number') return null;
  if (entry.ErrorCode === 0) {
    if (!entry.MessageID) return null;
    const submitted = entry.SubmittedAt ? new Date(entry.SubmittedAt) : new Date();
    return { kind: 'sent', postmarkMessageId: entry.MessageID, submittedAt: Number.isNaN(submitted.getTime()) ? new Date() : submitted };
  }
  const inactive = entry.ErrorCode === INACTIVE_RECIPIENT;
  return {
    kind: 'failed',
    code: inactive ? 'inactive_recipient' : 'postmark_rejected',
    reason: `Postmark ErrorCode ${entry.ErrorCode}: ${entry.Message}`.slice(0, 1000),
    postmarkErrorCode: entry.ErrorCode,
    suppress: inactive,
  };
}

/**
 * Sends up to 500 emails in one batch request. The batch answers 200 even when entries fail:
 * each entry's ErrorCode is its own outcome, in request order. An answer we cannot read entry
 * by entry is ambiguous (Postmark processed something).
 */
export async function sendEmails({ client, retryAfterMs }: PostmarkSession, emails: OutgoingEmail[]): Promise<BatchResult> {
  if (emails.length === 0) return { kind: 'answered', entries: [] };
  if (emails.length > 500) throw new RangeError('a Postmark batch holds at most 500 messages');
  let answer: unknown;
  try {
    answer = await client.sendEmailBatch(
      emails.map((email) => ({
        From: email.from,
        To: email.to,
        Subject: email.subject,
        HtmlBody: email.html,
        TextBody: email.text,
        Tag: email.tag,
        MessageStream: email.stream,
        ...(email.replyTo ? { ReplyTo: email.replyTo } : {}),
        TrackOpens: email.trackOpens,
        Metadata: { [METADATA_MESSAGE_ID]: email.messageId, [METADATA_ORGANIZATION_ID]: email.organizationId },
      })),
    );
  } catch (error) {
    return classifyError(error, retryAfterMs());
  }
  if (!Array.isArray(answer) || answer.length !== emails.length) {
    return { kind: 'ambiguous', reason: 'Postmark’s batch answer does not list one outcome per message' };
  }
  const entries = answer.map(entryOutcome);
  if (entries.some((entry) => entry === null)) return { kind: 'ambiguous', reason: 'Postmark’s batch answer has an unreadable entry' };
  return { kind: 'answered', entries: entries as EntryOutcome[] };
}

/**
 * Looks for a message we may have sent, by the id in its Metadata. `found` with Postmark's
 * MessageID, `absent`, or `error` (try the search again later; never resend on an error).
 */
export async function findSent(
  { client }: PostmarkSession,
  messageId: string,
  /** The stream it was sent on: Postmark searches only the default one otherwise. */
  stream: string,
): Promise<{ kind: 'found'; postmarkMessageId: string; receivedAt: Date } | { kind: 'absent' } | { kind: 'error'; reason: string }> {
  try {
    const result = await client.getOutboundMessages({ count: 1, offset: 0, messageStream: stream, [`metadata_${METADATA_MESSAGE_ID}`]: messageId });
    const hit = result.Messages?.[0];
    if (!hit) return { kind: 'absent' };
    const received = new Date(hit.ReceivedAt);
    return { kind: 'found', postmarkMessageId: hit.MessageID, receivedAt: Number.isNaN(received.getTime()) ? new Date() : received };
  } catch (error) {
    return { kind: 'error', reason: (error as Error).message };
  }
}
