/** Who did something, resolved once per request and carried into every write it causes. */
export interface Actor {
  organizationId: string;
  /** `api_key:<id>`, `ats:<source>`, `cli`, `system`. */
  actor: string;
  requestId?: string | undefined;
}
