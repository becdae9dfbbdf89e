// One webhook request: HTTPS to a public address, signed (Standard Webhooks), 15 s at most, no
// redirects followed. The endpoint's host is resolved here and every address is checked against
// private, loopback, link-local and other internal ranges, inside the socket's own lookup, so
// the address checked is the address connected to (no DNS rebinding between check and connect).
// Connections are kept alive only within one pump run (see endpointAgent): every new socket is
// checked, and none outlives the run that opened it.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

export class UnsafeEndpointError extends Error {
  override name = 'UnsafeEndpointError';
}

/** Public unicast only (ipaddr.js classifies ranges: private, loopback, linkLocal, uniqueLocal, reserved, ...). */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  const parsed = ipaddr.process(address); // IPv4-mapped IPv6 is judged as the IPv4 it carries
  return parsed.range() === 'unicast';
}

/** Refuses what can never be an endpoint, before any network use. */
export function checkEndpointUrl(raw: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeEndpointError('not a URL');
  }
  if (url.username || url.password) throw new UnsafeEndpointError('credentials in the URL are not allowed; use the signature');
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:')) throw new UnsafeEndpointError('must be https');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && ipaddr.isValid(host) && !isPublicAddress(host)) throw new UnsafeEndpointError(`${host} is not a public address`);
  if (!allowPrivate && /^(localhost|.*\.localhost|.*\.local|.*\.internal)$/i.test(host)) throw new UnsafeEndpointError(`${host} is not a public host`);
  return url;
}

/** dns.lookup that fails unless every address the name resolves to is public. */
const safeLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const list = addresses as LookupAddress[];
    const unsafe = list.find((a) => !isPublicAddress(a.address));
    if (unsafe || list.length === 0) {
      return callback(new UnsafeEndpointError(`${hostname} resolves to ${unsafe?.address ?? 'nothing'}, which is not a public address`), '', 0);
    }
    if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
    return callback(null, list[0]!.address, list[0]!.family);
  });
};

export interface WebhookResponse {
  statusCode: number;
  headers: http.IncomingHttpHeaders;
  /** At most 2,000 characters. */
  body: string;
  latencyMs: number;
}

const BODY_LIMIT = 2_000;

/**
 * A keep-alive pool for one endpoint, for one pump run: a TLS handshake per delivery was most of
 * a fast endpoint's cost. The caller destroys it when the run ends, so a socket (and the address
 * it was checked against) lives at most one run, never across a DNS change for long.
 */
export function endpointAgent(url: URL, maxSockets: number): http.Agent {
  const options = { keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'lifo' as const };
  return url.protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
}

export function postWebhook(
  url: URL,
  headers: Record<string, string>,
  body: string,
  options: { timeoutMs: number; allowPrivate: boolean; agent?: http.Agent | undefined },
): Promise<WebhookResponse> {
  const started = performance.now();
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Hearback-Webhooks/1', ...headers, 'content-length': Buffer.byteLength(body) },
        timeout: options.timeoutMs,
        // Without a run's pool, a fresh connection: nothing keeps a socket to an address checked earlier.
        agent: options.agent ?? false,
        ...(options.allowPrivate ? {} : { lookup: safeLookup }),
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (text.length < BODY_LIMIT) text += chunk;
        });
        response.on('end', () =>
          resolve({ statusCode: response.statusCode ?? 0, headers: response.headers, body: text.slice(0, BODY_LIMIT), latencyMs: Math.round(performance.now() - started) }),
        );
        response.on('error', reject);
      },
    );
    // The whole exchange, not just idle time, is bounded.
    const deadline = setTimeout(() => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)), options.timeoutMs);
    request.on('close', () => clearTimeout(deadline));
    request.on('timeout', () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}
