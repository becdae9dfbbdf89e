// Secrets never reach the logs, whichever field carries them: a key in a refused request's URL,
// a token in an error message, credentials in a connection string. Applied to every serialized
// log line (pino's streamWrite hook) of the API and the workers, and to request URLs.

/** [what a secret looks like, what is kept of it] — the name or prefix stays, so a line still says what was there. */
const SECRETS: [RegExp, string][] = [
  // Hearback API keys, Standard Webhooks secrets.
  [/\b(hb_(?:live|test)_)[A-Za-z0-9_-]+/g, '$1[redacted]'],
  [/\b(whsec_)[A-Za-z0-9+/=_-]+/g, '$1[redacted]'],
  // Authorization values (API keys, ATS tokens, Postmark webhooks' Basic credentials), also URL-encoded.
  [/\b((?:bearer|basic)(?:\s|%20|\+)+)[A-Za-z0-9._~+/=-]{6,}/gi, '$1[redacted]'],
  // Named values: headers, JSON members (also inside escaped JSON), query parameters, key=value text.
  // Postmark's server and account tokens are plain UUIDs: they are only recognisable by name.
  [
    /(?<![A-Za-z0-9])((?:x-postmark-(?:server|account)-token|server_?token|account_?token|api_?key|access_?token|refresh_?token|client_?secret|secret|password|passwd|token|signature)(?:\\?["']|%22)?\s*(?:[:=]|%3A|%3D)\s*(?:\\?["']|%22)?)[^\s"'&,;\\]+/gi,
    '$1[redacted]',
  ],
  // Candidates' feedback-link tokens.
  [/(\/f\/|\/v1\/feedback\/)[A-Za-z0-9_-]{16,}/g, '$1[token]'],
  // Credentials in URLs (connection strings, webhook URLs).
  [/(\/\/)[^\s/?#@:"]+:[^\s/?#@"]+@/g, '$1[redacted]@'],
];

export function redactSecrets(text: string): string {
  let result = text;
  for (const [pattern, replacement] of SECRETS) result = result.replace(pattern, replacement);
  return result;
}

/** pino options every logger of the service uses. */
export const redactingLogOptions = { hooks: { streamWrite: redactSecrets } };
