// Accepted messages, in arrival order, plus the two read shapes of Postmark's
// Messages API: the search summary and the details record.

import { randomUUID } from 'node:crypto';
import type { Address } from './addresses.js';
import { invalidRequest, type PostmarkError } from './errors.js';
import type { OutgoingEmail, ParsedRecipients } from './validation.js';

export interface CapturedMessage extends OutgoingEmail {
  MessageID: string;
  /** ISO 8601, UTC. Real Postmark answers in US Eastern time with an offset; both parse with Date. */
  ReceivedAt: string;
  /** Every To, Cc and Bcc address, as Postmark's search results list them. */
  Recipients: string[];
  Addresses: ParsedRecipients;
}

export interface SearchQuery {
  count: number;
  offset: number;
  filter: (m: CapturedMessage) => boolean;
}

const MAX_COUNT = 500;
const MAX_WINDOW = 10_000;

export class MessageStore {
  #messages: CapturedMessage[] = [];
  readonly #byId = new Map<string, CapturedMessage>();

  capture(email: OutgoingEmail, recipients: ParsedRecipients, now = new Date()): CapturedMessage {
    const all = [...recipients.To, ...recipients.Cc, ...recipients.Bcc];
    const message: CapturedMessage = {
      ...email,
      MessageID: randomUUID(),
      ReceivedAt: now.toISOString(),
      Recipients: all.map((a) => a.Email),
      Addresses: recipients,
    };
    this.#messages.push(message);
    this.#byId.set(message.MessageID, message);
    return message;
  }

  /** Oldest first; copies, so callers cannot edit what the fake answers later. */
  all(): CapturedMessage[] {
    return this.#messages.map((m) => structuredClone(m));
  }

  get(id: string): CapturedMessage | undefined {
    const found = this.#byId.get(id);
    return found ? structuredClone(found) : undefined;
  }

  get size(): number {
    return this.#messages.length;
  }

  clear(): void {
    this.#messages = [];
    this.#byId.clear();
  }

  /** Postmark lists search results newest first. */
  search(query: SearchQuery): { TotalCount: number; Messages: CapturedMessage[] } {
    const matched = this.#messages.filter(query.filter).reverse();
    return { TotalCount: matched.length, Messages: matched.slice(query.offset, query.offset + query.count) };
  }
}

const recipientView = (list: Address[]): Address[] => list.map((a) => ({ Email: a.Email, Name: a.Name }));

export function toSummary(m: CapturedMessage) {
  return {
    Tag: m.Tag ?? '',
    MessageID: m.MessageID,
    MessageStream: m.MessageStream,
    To: recipientView(m.Addresses.To),
    Cc: recipientView(m.Addresses.Cc),
    Bcc: recipientView(m.Addresses.Bcc),
    Recipients: [...m.Recipients],
    ReceivedAt: m.ReceivedAt,
    From: m.From,
    Subject: m.Subject,
    Attachments: m.Attachments.map((a) => (typeof a === 'object' && a && 'Name' in a ? String(a.Name) : '')),
    Status: 'Sent',
    TrackOpens: m.TrackOpens ?? false,
    TrackLinks: m.TrackLinks ?? 'None',
    Metadata: { ...m.Metadata },
    Sandboxed: false,
  };
}

export function toDetails(m: CapturedMessage) {
  return {
    ...toSummary(m),
    TextBody: m.TextBody ?? '',
    HtmlBody: m.HtmlBody ?? '',
    // The raw MIME source is not synthesised; nothing in Hearback should need it.
    Body: '',
    MessageEvents: [],
  };
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function parseBound(value: string, endOfDay: boolean): number | undefined {
  const iso = DATE_ONLY.test(value) ? `${value}T${endOfDay ? '23:59:59.999' : '00:00:00'}Z` : value;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

const lower = (s: string | undefined): string => (s ?? '').toLowerCase();
const addressOf = (from: string): string => lower(/<([^<>]+)>\s*$/.exec(from)?.[1] ?? from).trim();

/**
 * Reads /messages/outbound query parameters. Names are case-insensitive (the official
 * client sends fromEmail/fromDate/messageStream, the docs write fromemail/fromdate);
 * `metadata_<key>` keeps the key's own case.
 */
export function parseSearchQuery(raw: Record<string, unknown>): SearchQuery | PostmarkError {
  const q = new Map<string, string>();
  const metadata: [string, string][] = [];
  for (const [key, value] of Object.entries(raw)) {
    const v = Array.isArray(value) ? String(value[0]) : String(value);
    if (key.toLowerCase().startsWith('metadata_')) metadata.push([key.slice('metadata_'.length), v]);
    else q.set(key.toLowerCase(), v);
  }
  const count = Number(q.get('count'));
  const offset = Number(q.get('offset'));
  if (!q.has('count') || !Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
    return invalidRequest(`The 'count' query parameter is required and must be between 1 and ${MAX_COUNT}.`);
  }
  if (!q.has('offset') || !Number.isInteger(offset) || offset < 0) {
    return invalidRequest("The 'offset' query parameter is required and must be 0 or more.");
  }
  if (count + offset > MAX_WINDOW) return invalidRequest(`Count + Offset cannot exceed ${MAX_WINDOW}.`);

  const from = q.has('fromdate') ? parseBound(q.get('fromdate') ?? '', false) : undefined;
  const to = q.has('todate') ? parseBound(q.get('todate') ?? '', true) : undefined;
  if ((q.has('fromdate') && from === undefined) || (q.has('todate') && to === undefined)) {
    return invalidRequest("'fromdate' and 'todate' must be dates such as 2021-01-01 or 2021-01-01T12:00:00.");
  }
  const status = q.get('status');
  const checks: ((m: CapturedMessage) => boolean)[] = [
    (m) => !q.has('recipient') || m.Recipients.some((r) => lower(r) === lower(q.get('recipient'))),
    (m) => !q.has('fromemail') || addressOf(m.From) === lower(q.get('fromemail')),
    (m) => !q.has('tag') || m.Tag === q.get('tag'),
    (m) => !q.has('subject') || lower(m.Subject).includes(lower(q.get('subject'))),
    // Postmark searches the default transactional stream unless told otherwise.
    (m) => m.MessageStream === (q.get('messagestream') ?? 'outbound'),
    // Every captured message counts as sent; nothing is ever queued or processed here.
    () => status === undefined || lower(status) === 'sent',
    (m) => from === undefined || Date.parse(m.ReceivedAt) >= from,
    (m) => to === undefined || Date.parse(m.ReceivedAt) <= to,
    (m) => metadata.every(([k, v]) => m.Metadata[k] === v),
  ];
  return { count, offset, filter: (m) => checks.every((check) => check(m)) };
}
