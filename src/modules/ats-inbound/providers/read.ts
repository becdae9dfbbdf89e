// Reading an untrusted webhook body. Every accessor knows the path it reads, so a malformed
// payload fails with an InboundPayloadError such as `payload.application.id is missing` — never
// a TypeError — and lookups only see the body's own keys, so a `constructor` or `__proto__` key
// cannot reach Object.prototype. Nothing here knows any provider.
import { AppError, type FieldError } from '../../../lib/errors.js';

/** A webhook body that cannot be read as its provider documents it. A 400 (validation_failed). */
export class InboundPayloadError extends AppError {
  constructor(
    /** Where in the body, e.g. `payload.application.id`; `body` for the body itself. */
    readonly path: string,
    /** What is wrong there, e.g. `is missing`. */
    readonly problem: string,
    errors: FieldError[] = [{ path, message: problem }],
  ) {
    super('validation_failed', `${path} ${problem}`, { errors });
    this.name = 'InboundPayloadError';
  }
}

export const MAX_ID_LENGTH = 200;
const MAX_EVENT_TYPE_LENGTH = 100;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isAbsent = (value: unknown): value is null | undefined => value === null || value === undefined;

export const childPath = (path: string, key: string | number): string => (typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`);

// ----- single values ------------------------------------------------------------------------

/** An id as providers send them: a non-empty string, or a non-negative integer (Greenhouse). */
export function readId(value: unknown, path: string): string {
  if (isAbsent(value)) throw new InboundPayloadError(path, 'is missing');
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw new InboundPayloadError(path, 'must be a non-negative integer or a string id');
    return String(value);
  }
  if (typeof value !== 'string') throw new InboundPayloadError(path, 'must be a string or integer id');
  const id = value.trim();
  if (id === '') throw new InboundPayloadError(path, 'is missing');
  if (id.length > MAX_ID_LENGTH) throw new InboundPayloadError(path, `is longer than ${MAX_ID_LENGTH} characters`);
  return id;
}

export interface TextOptions {
  /** Keep surrounding white space (contact details are passed on exactly as given). */
  keepAsGiven?: boolean;
}

/** Text, or null when absent, null or blank. Trimmed unless asked not to. */
export function readOptionalText(value: unknown, path: string, max: number, { keepAsGiven = false }: TextOptions = {}): string | null {
  if (isAbsent(value)) return null;
  if (typeof value !== 'string') throw new InboundPayloadError(path, 'must be text');
  if (value.trim() === '') return null;
  const text = keepAsGiven ? value : value.trim();
  if (text.length > max) throw new InboundPayloadError(path, `is longer than ${max} characters`);
  return text;
}

export function readText(value: unknown, path: string, max: number): string {
  const text = readOptionalText(value, path, max);
  if (text === null) throw new InboundPayloadError(path, 'is missing');
  return text;
}

/** An ISO 8601 date-time with a zone (`2015-02-11T15:50:41Z`), or null when absent. */
export function readOptionalInstant(value: unknown, path: string): Date | null {
  if (isAbsent(value)) return null;
  if (typeof value !== 'string') throw new InboundPayloadError(path, 'must be an ISO 8601 date-time');
  const date = ISO_DATE_TIME.test(value) ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) throw new InboundPayloadError(path, 'is not an ISO 8601 date-time with a time zone');
  return date;
}

/** Epoch milliseconds (Lever), as a number or a string of digits, or null when absent. */
export function readOptionalEpochMillis(value: unknown, path: string): Date | null {
  if (isAbsent(value)) return null;
  const ms = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : Number.NaN;
  const date = Number.isSafeInteger(ms) && ms >= 0 ? new Date(ms) : null;
  if (!date || Number.isNaN(date.getTime())) throw new InboundPayloadError(path, 'must be epoch milliseconds');
  return date;
}

/** The event type a body names (`action`, `event`, `type`): short printable text, or an error naming the path. */
export function readEventType(value: unknown, path: string): string {
  const type = readText(value, path, MAX_EVENT_TYPE_LENGTH);
  if (!/^[\x21-\x7e]+$/.test(type)) throw new InboundPayloadError(path, 'must be printable ASCII without spaces');
  return type;
}

// ----- objects ------------------------------------------------------------------------------

/** One JSON object of the body, with the path it was found at. */
export class PayloadObject {
  private constructor(
    private readonly fields: Record<string, unknown>,
    readonly path: string,
  ) {}

  /** The request body itself, which must be a JSON object. Child paths start at its keys. */
  static body(value: unknown): PayloadObject {
    if (!isRecord(value)) throw new InboundPayloadError('body', 'must be a JSON object');
    return new PayloadObject(value, '');
  }

  static at(value: unknown, path: string): PayloadObject {
    if (isAbsent(value)) throw new InboundPayloadError(path, 'is missing');
    if (!isRecord(value)) throw new InboundPayloadError(path, 'must be an object');
    return new PayloadObject(value, path);
  }

  /** The raw value of an own key (never one inherited from Object.prototype). */
  get(key: string): unknown {
    return Object.hasOwn(this.fields, key) ? this.fields[key] : undefined;
  }

  pathOf(key: string): string {
    return childPath(this.path, key);
  }

  get isEmpty(): boolean {
    return Object.keys(this.fields).length === 0;
  }

  object(key: string): PayloadObject {
    return PayloadObject.at(this.get(key), this.pathOf(key));
  }

  optionalObject(key: string): PayloadObject | null {
    const value = this.get(key);
    return isAbsent(value) ? null : PayloadObject.at(value, this.pathOf(key));
  }

  id(key: string): string {
    return readId(this.get(key), this.pathOf(key));
  }

  optionalId(key: string): string | null {
    const value = this.get(key);
    return isAbsent(value) || value === '' ? null : readId(value, this.pathOf(key));
  }

  text(key: string, max: number): string {
    return readText(this.get(key), this.pathOf(key), max);
  }

  optionalText(key: string, max: number, options?: TextOptions): string | null {
    return readOptionalText(this.get(key), this.pathOf(key), max, options);
  }

  optionalInstant(key: string): Date | null {
    return readOptionalInstant(this.get(key), this.pathOf(key));
  }

  optionalEpochMillis(key: string): Date | null {
    return readOptionalEpochMillis(this.get(key), this.pathOf(key));
  }

  eventType(key: string): string {
    return readEventType(this.get(key), this.pathOf(key));
  }

  /** A list of objects; absent or null reads as empty. */
  objects(key: string, max: number): PayloadObject[] {
    const value = this.get(key);
    if (isAbsent(value)) return [];
    const path = this.pathOf(key);
    if (!Array.isArray(value)) throw new InboundPayloadError(path, 'must be a list');
    if (value.length > max) throw new InboundPayloadError(path, `has more than ${max} items`);
    return value.map((item: unknown, index) => PayloadObject.at(item, childPath(path, index)));
  }
}

// ----- event types --------------------------------------------------------------------------

/** The event type a body names, or `unknown`: never throws, for the delivery's record. */
export function eventTypeOr(payload: unknown, key: string): string {
  try {
    return PayloadObject.body(payload).eventType(key);
  } catch {
    return 'unknown';
  }
}
