// What a delivery's signature proves, per provider, and so what must never be accepted twice.
// Each scheme signs something else: Greenhouse and Ashby the raw body alone (no time: their
// signatures never expire), Lever only `token + triggeredAt` (neither the event nor data),
// Standard Webhooks `{id}.{timestamp}.{body}` (a retry keeps the id and is signed again). The
// replay key comes from exactly what is signed, so a signature is used once whatever unsigned
// parts (a fresh Greenhouse-Event-ID, another Lever event or opportunity) arrive with it.
import { sha256Hex } from '../../lib/hash.js';
import { ashbyEventType } from './providers/ashby.js';
import { genericEventType } from './providers/generic.js';
import { greenhouseEventType } from './providers/greenhouse.js';
import { leverEventType } from './providers/lever.js';
import { verifyAshbySignature } from '../webhook-signatures/ashby.js';
import { verifyGreenhouseSignature } from '../webhook-signatures/greenhouse.js';
import { LEVER_SIGNATURE_FIELDS, type LeverTokenOf, verifyLeverSignature } from '../webhook-signatures/lever.js';
import type { HeaderBag } from '../webhook-signatures/primitives.js';
import { verify as verifyStandardWebhook } from '../webhook-signatures/standard-webhooks.js';
// Types only: the schemas register their OpenAPI components where the routes import them.
import type { Provider } from './inbound.schemas.js';

export const REDACTED = '[redacted]';

export interface VerifiedDelivery {
  ok: true;
  /** Derived from what the signature covers: the same signed delivery always has the same key. */
  replayKey: string;
  /** The scheme signs no time: the signature stays valid for ever, so its key must be kept as long. */
  neverExpires: boolean;
  eventType: string;
  /** The body as kept and shown: as received, without the fields that make up Lever's signature. */
  storedBody: string;
}

export interface VerifyOptions {
  now: Date;
  /** How old a Lever triggeredAt may be (config LEVER_WEBHOOK_MAX_AGE_SECONDS). */
  leverMaxAgeSeconds: number;
  /**
   * A Lever connection whose webhooks were registered through Lever's API: each event's own
   * token, chosen by the body's `event` (`secret` is then not used). Absent: `secret` signs every event.
   */
  leverTokens?: LeverTokenOf;
}

const bodyKey = (raw: Buffer) => `body:sha256:${sha256Hex(raw)}`;

/** Checks a delivery's signature; what it proves, or why it does not verify. */
export function verifyDelivery(
  provider: Provider,
  secret: string,
  raw: Buffer,
  headers: HeaderBag,
  payload: unknown,
  { now, leverMaxAgeSeconds, leverTokens }: VerifyOptions,
): VerifiedDelivery | { ok: false; reason: string } {
  const refused = (result: { error: string; message: string }) => ({ ok: false as const, reason: `${result.error}: ${result.message}` });
  const asReceived = raw.toString('utf8');
  switch (provider) {
    case 'greenhouse': {
      // The Greenhouse-Event-ID header is not signed: anyone holding one signed body could send it
      // again under a new id, so the body is the key.
      const result = verifyGreenhouseSignature({ body: raw, headers, secret });
      if (!result.ok) return refused(result);
      return { ok: true, replayKey: bodyKey(raw), neverExpires: true, eventType: greenhouseEventType(payload), storedBody: asReceived };
    }
    case 'ashby': {
      const result = verifyAshbySignature({ body: raw, headers, secret });
      if (!result.ok) return refused(result);
      return { ok: true, replayKey: bodyKey(raw), neverExpires: true, eventType: ashbyEventType(payload), storedBody: asReceived };
    }
    case 'lever': {
      const result = verifyLeverSignature({ body: payload, signatureToken: leverTokens ?? secret, now, toleranceSeconds: leverMaxAgeSeconds });
      if (!result.ok) return refused(result);
      const redacted = { ...(payload as Record<string, unknown>), ...Object.fromEntries(LEVER_SIGNATURE_FIELDS.map((field) => [field, REDACTED])) };
      return {
        ok: true,
        replayKey: `lever:sha256:${sha256Hex(result.signedText)}`,
        neverExpires: false,
        eventType: leverEventType(payload),
        storedBody: JSON.stringify(redacted),
      };
    }
    case 'generic': {
      // The id is signed and a retry keeps it (with a new timestamp and signature): the id is the key.
      const result = verifyStandardWebhook({ headers, body: raw, secrets: [secret], now });
      if (!result.ok) return refused(result);
      return { ok: true, replayKey: `id:${result.id}`, neverExpires: false, eventType: genericEventType(payload), storedBody: asReceived };
    }
  }
}
