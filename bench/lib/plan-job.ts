// plan-50k's measured part alone in its own process, as an API instance serves it: the app is
// built, answers one request to be warm, then builds and confirms the reject-all plan through the
// API. Its memory is the process's own (`plan-50k` seeds in the bench process beforehand). Prints
// one JSON line.
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
try {
  const warm = await app.inject({ method: 'GET', url: '/v1/organization', headers });
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
      const plan = await app.inject({
        method: 'POST',
        url: `/v1/requisitions/${requisitionId}/plans`,
        headers,
        payload: { chosen: [{ applicationId: chosenId }], targets: { mode: 'all_others_active' } },
      });
      const ms = performance.now() - started;
      const cpuUsed = cpuMs(cpu);
      if (plan.statusCode !== 201) fail('plan', plan);
      const { id, digest } = plan.json() as { id: string; digest: string };
      return { id, digest, ms, cpuUsed };
    };
    const body = await planStep();
    const planMs = body.ms;
    const planCpuMs = body.cpuUsed;
    const peakAfterPlanMB = peakRssMB();
    const started = performance.now();
    const cpu = process.cpuUsage();
    const confirm = await app.inject({
      method: 'POST',
      url: `/v1/plans/${body.id}/confirm`,
      headers,
      payload: { digest: body.digest, chosenApplicationIds: [chosenId] },
    });
    const confirmMs = performance.now() - started;
    const confirmCpuMs = cpuMs(cpu);
    if (confirm.statusCode !== 200) fail('confirm', confirm);
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    const result = {
      planMs,
      confirmMs,
      planCpuMs,
      confirmCpuMs,
      messagesCreated: confirm.json().messages.length as number,
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
