// plan-50k's measured part alone in its own process, as an API instance serves it: the app is
// built, answers one request to be warm, then builds and confirms the reject-all plan through the
// API. Its memory is the process's own (`plan-50k` seeds in the bench process beforehand). Prints
// one JSON line.
//
// The requests go over a socket and the answers are read as they stream in, keeping only what the
// bench needs from them (the plan's id and digest, which come before its items; the number of
// drafts): a client holds a 17 MB answer in its own process, not in the API's. (app.inject kept
// each answer whole as a string, and parsing it for two fields added its 50,000 items to this
// process's heap: the bench's cost counted as the API's.)
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../src/app.js';
import { benchDeps } from './app.js';
import { peakRssMB } from './child-job.js';
import type { BenchContext } from './types.js';

const [requisitionId, chosenId] = process.argv.slice(2);
const apiKey = process.env.BENCH_API_KEY;
if (!requisitionId || !chosenId || !apiKey) throw new Error('usage: BENCH_API_KEY=… plan-job.ts <requisitionId> <chosenApplicationId>');
const ctx = { databaseUrl: process.env.BENCH_DATABASE_URL!, redisUrl: process.env.BENCH_REDIS_URL! } as BenchContext;
const bench = await benchDeps(ctx, 'plan-job', 10, { migrate: false });
const app = await buildApp({ config: bench.config, deps: bench.deps, logger: false });
const headers = { authorization: `Bearer ${apiKey}` };
const fail = (step: string, response: { statusCode: number; body: string }) => {
  throw new Error(`${step}: ${response.statusCode} ${response.body.slice(0, 300)}`);
};

/** What the bench keeps of an answer: its status, its first 64 KB, its length, and how often `count` occurs in it. */
interface Streamed {
  statusCode: number;
  body: string;
  bytes: number;
  occurrences: number;
}
const HEAD_CHARS = 64 * 1024;
function send(method: 'GET' | 'POST', path: string, payload?: unknown, count = ''): Promise<Streamed> {
  const { port } = app.server.address() as AddressInfo;
  const data = payload === undefined ? undefined : JSON.stringify(payload);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: { ...headers, ...(data ? { 'content-type': 'application/json' } : {}) } }, (res) => {
      res.setEncoding('utf8');
      let body = '';
      let bytes = 0;
      let occurrences = 0;
      let tail = '';
      res.on('data', (chunk: string) => {
        bytes += Buffer.byteLength(chunk);
        if (body.length < HEAD_CHARS) body += chunk.slice(0, HEAD_CHARS - body.length);
        if (!count) return;
        // A match may straddle two chunks: search the end of the last one (too short to hold a whole match) with this one.
        const text = tail + chunk;
        for (let at = text.indexOf(count); at !== -1; at = text.indexOf(count, at + count.length)) occurrences++;
        tail = text.slice(text.length - count.length + 1);
      });
      res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, body, bytes, occurrences }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(data);
  });
}

try {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const warm = await send('GET', '/v1/organization');
  if (warm.statusCode !== 200) fail('warm-up', warm);
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  const timer = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 25);
  const rssBeforeMB = peakRssMB();
  try {
    // CPU as well as wall time: on a shared machine the wall time swings, the process's own CPU less.
    const cpuMs = (since: NodeJS.CpuUsage) => {
      const used = process.cpuUsage(since);
      return (used.user + used.system) / 1000;
    };
    // The plan's response is read for its id and digest only, and dropped before the confirmation:
    // a client holds it in its own process, not in the API's.
    const planStep = async () => {
      const started = performance.now();
      const cpu = process.cpuUsage();
      const plan = await send('POST', `/v1/requisitions/${requisitionId}/plans`, { chosen: [{ applicationId: chosenId }], targets: { mode: 'all_others_active' } });
      const ms = performance.now() - started;
      const cpuUsed = cpuMs(cpu);
      if (plan.statusCode !== 201) fail('plan', plan);
      // The plan's items come last (src/lib/large-json.ts): its other fields are in the head.
      const itemsAt = plan.body.indexOf(',"items":[');
      if (itemsAt === -1) fail('plan (no items in its first 64 KB)', plan);
      const { id, digest } = JSON.parse(`${plan.body.slice(0, itemsAt)}}`) as { id: string; digest: string };
      return { id, digest, ms, cpuUsed, bytes: plan.bytes };
    };
    const body = await planStep();
    const planMs = body.ms;
    const planCpuMs = body.cpuUsed;
    const peakAfterPlanMB = peakRssMB();
    const started = performance.now();
    const cpu = process.cpuUsage();
    // Each draft in the answer has one recipientEmail; nothing else in it has that key.
    const confirm = await send('POST', `/v1/plans/${body.id}/confirm`, { digest: body.digest, chosenApplicationIds: [chosenId] }, '"recipientEmail":');
    const confirmMs = performance.now() - started;
    const confirmCpuMs = cpuMs(cpu);
    if (confirm.statusCode !== 200) fail('confirm', confirm);
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    const result = {
      planMs,
      confirmMs,
      planCpuMs,
      confirmCpuMs,
      messagesCreated: confirm.occurrences,
      planBytes: body.bytes,
      confirmationBytes: confirm.bytes,
      rssBeforeMB,
      peakAfterPlanMB,
      peakRssMB: peakRssMB(),
      heapGrowthMB: (heapPeak - heapBefore) / 2 ** 20,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    clearInterval(timer);
  }
} finally {
  await app.close();
  await bench.close();
}
