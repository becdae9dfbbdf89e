// What the idempotency plugin asks of its store, and what the store answers: the plugin is given
// a store by the composition root, the idempotency repository is one.

export interface IdempotencyClaim {
  organizationId: string;
  key: string;
  operation: string;
  requestHash: string;
  expiresAt: Date;
}

/** What a claim holder needs to complete or release its record, and nobody else's. */
export interface HeldClaim {
  organizationId: string;
  key: string;
  token: string;
}

/** A response as kept for replay: its body sealed, and the headers a replay repeats. */
export interface StoredResponse {
  statusCode: number;
  sealedBody: string;
  headers: Record<string, string>;
}

export type ClaimOutcome = { kind: 'claimed'; claim: HeldClaim } | { kind: 'mismatch' } | { kind: 'in_progress' } | ({ kind: 'replay' } & StoredResponse);

export interface IdempotencyStore {
  claim(claim: IdempotencyClaim): Promise<ClaimOutcome>;
  complete(claim: HeldClaim, response: StoredResponse): Promise<void>;
  release(claim: HeldClaim): Promise<void>;
}

/**
 * The one-statement path, for routes whose response is known before they write (ids and times
 * made in the app): the record is written complete, with its sealed response, by the same
 * statement as the work it guards, so there is no claim to complete or release afterwards.
 */
export interface CompletedClaim {
  claim: IdempotencyClaim;
  response: StoredResponse;
}

/** Turns the response a route is about to send into the completed claim its work is written with. */
export type SealResponse<T> = (value: T) => CompletedClaim;

/** The key was already used: what its record decides instead of the work. */
export type KeyTaken = Exclude<ClaimOutcome, { kind: 'claimed' }>;

/** What a write under a completed claim came to: done (and its response stored), or the key was taken. */
export type WrittenOnce<T> = { kind: 'written'; value: T } | KeyTaken;
