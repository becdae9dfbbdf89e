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

/** Its message is all a tenant sees: never how a name resolved, nor which internal address it hit. */
export class UnsafeEndpointError extends Error {
  override name = 'UnsafeEndpointError';
}

/** The one answer for a destination that is internal, or a name that resolves to one (or not at all). */
const NOT_ALLOWED = 'the destination is not allowed: it must be a public address, or a name that resolves only to public addresses';

const v4 = (high: number, low: number) => new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
const startsWith = (parts: number[], prefix: number[]) => prefix.every((part, i) => parts[i] === part);

/**
 * The IPv4 addresses an IPv6 address carries, for the forms that reach them (a NAT64 gateway, a
 * 6to4 or Teredo relay, a dual-stack socket); `refuse` for forms with no public use; null when
 * it carries none.
 */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4[] | 'refuse' | null {
  const p = address.parts;
  if (startsWith(p, [0, 0, 0, 0, 0, 0xffff])) return [v4(p[6]!, p[7]!)]; // IPv4-mapped ::ffff:a.b.c.d
  if (startsWith(p, [0, 0, 0, 0, 0xffff, 0])) return [v4(p[6]!, p[7]!)]; // IPv4-translated ::ffff:0:a.b.c.d (RFC 6145)
  if (startsWith(p, [0, 0, 0, 0, 0, 0])) return 'refuse'; // IPv4-compatible ::a.b.c.d (deprecated; also :: and ::1)
  if (startsWith(p, [0x64, 0xff9b, 0, 0, 0, 0])) return [v4(p[6]!, p[7]!)]; // NAT64 well-known prefix 64:ff9b::/96
  if (startsWith(p, [0x64, 0xff9b, 1])) return 'refuse'; // NAT64 local-use 64:ff9b:1::/48: a site's own translator
  if (p[0] === 0x2002) return [v4(p[1]!, p[2]!)]; // 6to4 2002:aabb:ccdd::/48
  if (startsWith(p, [0x2001, 0])) return [v4(p[2]!, p[3]!), v4(p[6]! ^ 0xffff, p[7]! ^ 0xffff)]; // Teredo: server, and the client (inverted)
  return null;
}

/**
 * ipaddr.js reads `::a.b.c.d` as IPv4-mapped; a trailing dotted quad is only the last 32 bits
 * (`::127.0.0.1` is `::7f00:1`, the form Node's resolver prints), so it is rewritten first.
 */
function parseAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 {
  const dotted = /^(.*:)(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.exec(address);
  if (dotted && ipaddr.IPv4.isValidFourPartDecimal(dotted[2]!)) {
    const [a, b, c, d] = ipaddr.IPv4.parse(dotted[2]!).octets as [number, number, number, number];
    return ipaddr.IPv6.parse(`${dotted[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`);
  }
  return ipaddr.parse(address);
}

/**
 * Public unicast only (ipaddr.js classifies ranges: private, loopback, linkLocal, uniqueLocal,
 * reserved, ...); an IPv6 address that carries an IPv4 one is judged by what it carries.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = parseAddress(address);
  } catch {
    return false;
  }
  if (parsed.kind() === 'ipv6') {
    const embedded = embeddedIPv4(parsed as ipaddr.IPv6);
    if (embedded === 'refuse') return false;
    if (embedded) return embedded.every((inner) => inner.range() === 'unicast');
  }
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
  if (!allowPrivate && ipaddr.isValid(host) && !isPublicAddress(host)) throw new UnsafeEndpointError(NOT_ALLOWED);
  if (!allowPrivate && /^(localhost|.*\.localhost|.*\.local|.*\.internal)$/i.test(host)) throw new UnsafeEndpointError(NOT_ALLOWED);
  return url;
}

/**
 * dns.lookup that fails unless every address the name resolves to is public. A failed lookup
 * gets the same answer as an internal address: which internal names exist is not told either.
 */
const safeLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    const list = error ? [] : addresses;
    if (list.length === 0 || list.some((a) => !isPublicAddress(a.address))) return callback(new UnsafeEndpointError(NOT_ALLOWED), '', 0);
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
