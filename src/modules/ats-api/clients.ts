// The ATS client of a connection's provider (the providers' files import ats-client.ts, so the
// choice between them lives here).
import { ashbyClient } from './ashby.js';
import { greenhouseClient, type TokenCache } from './greenhouse.js';
import { leverClient } from './lever.js';
import type { AtsRateLimiter } from './rate-limit.js';

import { ashbyCredentialsSchema, type AtsClient, type AtsEndpoints, type AtsProvider, greenhouseCredentialsSchema, leverCredentialsSchema } from './ats-client.js';

/** The client for a connection's provider, with its opened (unsealed) credentials; every call waits its turn in `limiter`. */
export function atsClientFor(
  connection: { id: string; provider: AtsProvider },
  credentials: unknown,
  endpoints: AtsEndpoints,
  tokens: TokenCache,
  limiter: AtsRateLimiter,
): AtsClient {
  const gate = () => limiter.take(connection.id, connection.provider);
  switch (connection.provider) {
    case 'greenhouse':
      return greenhouseClient(connection.id, greenhouseCredentialsSchema.parse(credentials), endpoints, tokens, gate);
    case 'lever':
      return leverClient(leverCredentialsSchema.parse(credentials), endpoints, gate);
    case 'ashby':
      return ashbyClient(ashbyCredentialsSchema.parse(credentials), endpoints, gate);
  }
}
