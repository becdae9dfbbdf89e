// Checks one message the way Postmark's /email and /email/batch do, and turns it
// into the shape the fake stores. Wrong JSON types answer 403 (Incompatible JSON);
// semantic problems answer 300 (Invalid email request), as Postmark does.

import { parseAddressList, type Address } from './addresses.js';
import { incompatibleJson, invalidRequest, type PostmarkError } from './errors.js';

export const MAX_RECIPIENTS = 50;
export const DEFAULT_STREAM = 'outbound';

export interface EmailHeader {
  Name: string;
  Value: string;
}

/** A message as the caller sent it (Postmark field names), after normalising defaults. */
export interface OutgoingEmail {
  From: string;
  To: string;
  Cc?: string;
  Bcc?: string;
  ReplyTo?: string;
  Subject: string;
  HtmlBody?: string;
  TextBody?: string;
  Tag?: string;
  Metadata: Record<string, string>;
  MessageStream: string;
  Headers: EmailHeader[];
  TrackOpens?: boolean;
  TrackLinks?: string;
  Attachments: unknown[];
}

export interface ParsedRecipients {
  To: Address[];
  Cc: Address[];
  Bcc: Address[];
}

export type Validation = { ok: true; email: OutgoingEmail; recipients: ParsedRecipients } | { ok: false; error: PostmarkError };

const STRING_FIELDS = ['From', 'To', 'Cc', 'Bcc', 'ReplyTo', 'Subject', 'HtmlBody', 'TextBody', 'Tag', 'MessageStream', 'TrackLinks'] as const;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const present = (v: unknown): boolean => v !== undefined && v !== null;
const nonEmpty = (v: string | undefined): v is string => v !== undefined && v.trim().length > 0;

function typeProblem(body: Record<string, unknown>): string | undefined {
  for (const field of STRING_FIELDS) {
    if (present(body[field]) && typeof body[field] !== 'string') return `'${field}' must be a string.`;
  }
  if (present(body.TrackOpens) && typeof body.TrackOpens !== 'boolean') return "'TrackOpens' must be a boolean.";
  const headers = body.Headers;
  if (present(headers)) {
    const ok = Array.isArray(headers) && headers.every((h) => isRecord(h) && typeof h.Name === 'string' && typeof h.Value === 'string');
    if (!ok) return "'Headers' must be an array of { Name, Value } strings.";
  }
  const metadata = body.Metadata;
  if (present(metadata)) {
    const ok = isRecord(metadata) && Object.values(metadata).every((v) => ['string', 'number', 'boolean'].includes(typeof v));
    if (!ok) return "'Metadata' must be an object of string values.";
  }
  if (present(body.Attachments) && !Array.isArray(body.Attachments)) return "'Attachments' must be an array.";
  return undefined;
}

function parseField(value: string | undefined, field: string): Address[] | PostmarkError {
  if (!nonEmpty(value)) return [];
  const parsed = parseAddressList(value, field);
  return parsed.ok ? parsed.addresses : invalidRequest(parsed.message);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function validateEmail(body: unknown): Validation {
  if (!isRecord(body)) return { ok: false, error: incompatibleJson('expected a single message object.') };
  const problem = typeProblem(body);
  if (problem) return { ok: false, error: incompatibleJson(problem) };

  const from = str(body.From);
  if (!nonEmpty(from)) return { ok: false, error: invalidRequest("Invalid 'From' value.") };
  const fromParsed = parseField(from, 'From');
  if (!Array.isArray(fromParsed)) return { ok: false, error: fromParsed };

  const to = str(body.To);
  if (!nonEmpty(to)) return { ok: false, error: invalidRequest('Zero recipients specified') };
  const lists: Partial<ParsedRecipients> = {};
  for (const field of ['To', 'Cc', 'Bcc'] as const) {
    const parsed = parseField(str(body[field]), field);
    if (!Array.isArray(parsed)) return { ok: false, error: parsed };
    lists[field] = parsed;
  }
  const recipients = lists as ParsedRecipients;
  if (recipients.To.length === 0) return { ok: false, error: invalidRequest('Zero recipients specified') };
  const total = recipients.To.length + recipients.Cc.length + recipients.Bcc.length;
  if (total > MAX_RECIPIENTS) {
    return {
      ok: false,
      error: invalidRequest(`Maximum of ${MAX_RECIPIENTS} recipients allowed per email message (To, Cc and Bcc combined); got ${total}.`),
    };
  }
  const replyTo = parseField(str(body.ReplyTo), 'ReplyTo');
  if (!Array.isArray(replyTo)) return { ok: false, error: replyTo };

  if (!nonEmpty(str(body.HtmlBody)) && !nonEmpty(str(body.TextBody))) {
    return { ok: false, error: invalidRequest('Provide either email TextBody or HtmlBody or both.') };
  }

  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(isRecord(body.Metadata) ? body.Metadata : {})) metadata[k] = String(v);

  const email: OutgoingEmail = {
    From: from,
    To: to,
    Subject: str(body.Subject) ?? '',
    Metadata: metadata,
    MessageStream: nonEmpty(str(body.MessageStream)) ? (body.MessageStream as string) : DEFAULT_STREAM,
    Headers: (body.Headers as EmailHeader[] | undefined) ?? [],
    Attachments: (body.Attachments as unknown[] | undefined) ?? [],
  };
  for (const field of ['Cc', 'Bcc', 'ReplyTo', 'HtmlBody', 'TextBody', 'Tag', 'TrackLinks'] as const) {
    const value = str(body[field]);
    if (value !== undefined) email[field] = value;
  }
  if (typeof body.TrackOpens === 'boolean') email.TrackOpens = body.TrackOpens;
  return { ok: true, email, recipients };
}
