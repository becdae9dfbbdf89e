// @ts-check
// Load generator thread. Plain JavaScript because tsx's loader is not
// installed in worker threads. It runs apart from the server's event loop so
// the client's own CPU cost does not dilute the ratios (in one thread, a route
// 3x the cost of the baseline measured as only ~1.5x slower).
import { parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';

/** @type {{ url: string | string[], requests: import('autocannon').Request[], connections: number, pipelining: number, idReplacement: boolean, warmupSeconds: number, durationSeconds: number }} */
const job = workerData;

/** @param {number} seconds @param {number[] | null} latencies */
function fire(seconds, latencies) {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        // An array shares the connections among the URLs in turn (its types only say string).
        url: /** @type {string} */ (/** @type {unknown} */ (job.url)),
        connections: job.connections,
        pipelining: job.pipelining,
        duration: seconds,
        idReplacement: job.idReplacement,
        requests: job.requests,
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
    // autocannon's own latency histogram has 1 ms resolution, too coarse
    // when the baseline answers in ~1 ms; the per-response hrtime is exact.
    if (latencies) instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  });
}

// Off the main thread autocannon skips aggregation (it assumes it is one of
// its own workers) and returns raw counters instead of a Result.
/** @param {any} r */
const summary = (r) => ({
  requests: r.totalCompletedRequests ?? r.requests.total,
  duration: r.duration,
  non2xx: r.non2xx,
  errors: r.errors,
  timeouts: r.timeouts,
  statusCodeStats: r.statusCodeStats ?? {},
});

try {
  // Warm-up lets V8 optimise and pools fill before anything is counted.
  const warm = await fire(job.warmupSeconds, null);
  /** @type {number[]} */
  const latencies = [];
  const measured = await fire(job.durationSeconds, latencies);
  const sorted = Float64Array.from(latencies).sort();
  parentPort?.postMessage({ warm: summary(warm), measured: summary(measured), latencies: sorted }, [sorted.buffer]);
} catch (err) {
  parentPort?.postMessage({ error: err instanceof Error ? err.message : String(err) });
}
