// One HTTP call to an ATS API, and what its failure means for a retry. Every client in this
// folder goes through `atsFetch`: a bounded time per call, the answer's JSON, and an AtsApiError
// that says whether trying again can help (429, 5xx, timeouts, refused connections) and when the
// ATS asked to be called again (`Retry-After`, in seconds or as an HTTP date, RFC 9110 §10.2.3).

export class AtsApiError extends Error {
  override name = 'AtsApiError';
  constructor(
    message: string,
    readonly status: number | null,
    /** Trying again later may succeed. */
    readonly retryable: boolean,
    /** What the ATS asked for in `Retry-After`, in ms; null when it said nothing. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

/** `Retry-After` as milliseconds from now: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (header === null || header.trim() === '') return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export interface AtsRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  /** JSON, or a URLSearchParams for form bodies (OAuth token requests). */
  body?: unknown;
  timeoutMs: number;
}

/** The answer's parsed JSON (null for an empty body), or an AtsApiError. */
export async function atsFetch(request: AtsRequest): Promise<unknown> {
  return (await atsFetchWithHeaders(request)).body;
}

/** As atsFetch, with the answer's headers (Greenhouse pages through its `Link` header). */
export async function atsFetchWithHeaders(request: AtsRequest): Promise<{ body: unknown; headers: Headers }> {
  const form = request.body instanceof URLSearchParams;
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: {
        accept: 'application/json',
        ...(request.body === undefined ? {} : { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' }),
        ...request.headers,
      },
      ...(request.body === undefined ? {} : { body: request.body instanceof URLSearchParams ? request.body.toString() : JSON.stringify(request.body) }),
      redirect: 'error',
      signal: AbortSignal.timeout(request.timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    throw new AtsApiError(`${request.method} ${new URL(request.url).pathname}: ${timedOut ? 'timed out' : 'no answer'}`, null, true);
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) {
    const retryable = response.status === 429 || response.status === 408 || response.status >= 500;
    const wait = retryAfterMs(response.headers.get('retry-after'));
    throw new AtsApiError(`${request.method} ${new URL(request.url).pathname}: HTTP ${response.status} ${text.slice(0, 300)}`.trim(), response.status, retryable, wait);
  }
  if (text.trim() === '') return { body: null, headers: response.headers };
  try {
    return { body: JSON.parse(text) as unknown, headers: response.headers };
  } catch {
    throw new AtsApiError(`${request.method} ${new URL(request.url).pathname}: the answer is not JSON`, response.status, false);
  }
}

export const basicAuth = (user: string, password = '') => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** What a read answers, or null when the ATS has no such thing (404); other failures are thrown. */
export async function unlessMissing<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof AtsApiError && error.status === 404) return null;
    throw error;
  }
}
