// The render-plan job alone in its own process, as a worker runs it: `render-plan-50k` starts
// this after its setup, so the job's memory is measured without what seeding, planning and
// confirming 50,000 applications left in the bench process. Prints one JSON line.
import { benchDeps } from './app.js';
import { peakRssMB } from './child-job.js';
import type { BenchContext } from './types.js';

const planId = process.argv[2];
if (!planId) throw new Error('usage: render-plan-job.ts <planId>');
const ctx = { databaseUrl: process.env.BENCH_DATABASE_URL!, redisUrl: process.env.BENCH_REDIS_URL! } as BenchContext;
const bench = await benchDeps(ctx, 'render-plan-job', 10, { migrate: false });
try {
  const rssBeforeMB = process.memoryUsage().rss / 2 ** 20;
  const started = performance.now();
  const { rendered } = await bench.deps.messages.renderPlan(planId);
  const totalMs = performance.now() - started;
  process.stdout.write(`${JSON.stringify({ rendered, totalMs, rssBeforeMB, peakRssMB: peakRssMB() })}\n`);
} finally {
  await bench.close();
}
