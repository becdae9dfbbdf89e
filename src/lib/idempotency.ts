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
