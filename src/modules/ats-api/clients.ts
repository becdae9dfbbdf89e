// The ATS client of a connection's provider (the providers' files import ats-client.ts, so the
// choice between them lives here).
import { ashbyClient } from './ashby.js';
import { greenhouseClient, type TokenCache } from './greenhouse.js';
import { leverClient } from './lever.js';

import { ashbyCredentialsSchema, type AtsClient, type AtsEndpoints, type AtsProvider, greenhouseCredentialsSchema, leverCredentialsSchema } from './ats-client.js';

/** The client for a connection's provider, with its opened (unsealed) credentials. */
export function atsClientFor(connection: { id: string; provider: AtsProvider }, credentials: unknown, endpoints: AtsEndpoints, tokens: TokenCache): AtsClient {
  switch (connection.provider) {
    case 'greenhouse':
      return greenhouseClient(connection.id, greenhouseCredentialsSchema.parse(credentials), endpoints, tokens);
    case 'lever':
      return leverClient(leverCredentialsSchema.parse(credentials), endpoints);
    case 'ashby':
      return ashbyClient(ashbyCredentialsSchema.parse(credentials), endpoints);
  }
}
