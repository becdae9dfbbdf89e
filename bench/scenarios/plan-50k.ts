import pg from 'pg';
import { benchDeps } from '../lib/app.js';
import { runChildJob } from '../lib/child-job.js';
import { seedRequisition } from '../lib/pg.js';
import { defineScenario, type Metrics } from '../lib/types.js';

// A reject-all-others plan over 50,000 applications (quick: 5,000), built and confirmed through
// the API: wall time of each step and the memory of the process serving them. The API runs in a
// process of its own (lib/plan-job.ts), warm, as an instance serves it; seeding stays here.
const SIZE = { full: 50_000, quick: 5_000 };

interface JobResult {
  planMs: number;
  confirmMs: number;
  planCpuMs: number;
  confirmCpuMs: number;
  messagesCreated: number;
  planBytes: number;
  confirmationBytes: number;
  rssBeforeMB: number;
  /** The high-water mark when the plan was answered (the confirmation's is peakRssMB). */
  peakAfterPlanMB: number;
  peakRssMB: number;
  heapGrowthMB: number;
}

export default defineScenario({
  name: 'plan-50k',
  kind: 'custom',
  description: 'reject-all plan over 50,000 applications: plan, then confirm',
  // Seeding 50,000 applicants takes 15-40 s on a busy 2-core machine.
  limits: { setupMs: 120_000, runMs: 240_000 },
  async setup(ctx) {
    const bench = await benchDeps(ctx, 'plan-50k');
    const pool = new pg.Pool({ connectionString: ctx.databaseUrl, max: 1 });
    try {
      const { organization, secret } = await bench.deps.organizations.createOrganization('Bench plan-50k');
      const size = ctx.quick ? SIZE.quick : SIZE.full;
      // Seeded in SQL: this measures the plan, not 50,000 API calls.
      const { requisitionId, chosenId } = await seedRequisition(pool, organization.id, 'Bench 50k', size);
      return { bench, pool, apiKey: secret, requisitionId, chosenId, size };
    } catch (error) {
      await pool.end();
      await bench.close();
      throw error;
    }
  },
  async run({ apiKey, requisitionId, chosenId, size }, ctx): Promise<Metrics> {
    const job = await runChildJob<JobResult>(ctx, 'plan-job.ts', [requisitionId, chosenId], { BENCH_API_KEY: apiKey });
    if (job.messagesCreated !== size - 1) return { values: {}, compare: [], invalid: `confirm created ${job.messagesCreated} messages for ${size - 1} rejections` };
    return {
      values: {
        applications: size,
        planMs: Math.round(job.planMs),
        confirmMs: Math.round(job.confirmMs),
        // The API process's own CPU in each step (Postgres's is not in it): steadier than wall time on a shared machine.
        planCpuMs: Math.round(job.planCpuMs),
        confirmCpuMs: Math.round(job.confirmCpuMs),
        messagesCreated: job.messagesCreated,
        peakAfterPlanMB: Math.round(job.peakAfterPlanMB),
        peakRssMB: Math.round(job.peakRssMB),
        rssBeforeMB: Math.round(job.rssBeforeMB),
        rssGrowthMB: Math.round(job.peakRssMB - job.rssBeforeMB),
        heapGrowthMB: Math.round(job.heapGrowthMB),
        // The answers' sizes, as the client received them.
        planMB: Math.round(job.planBytes / 2 ** 20),
        confirmationMB: Math.round(job.confirmationBytes / 2 ** 20),
      },
      // No baseline: listed so the table shows them.
      compare: ['planMs', 'confirmMs', 'planCpuMs', 'confirmCpuMs', 'peakAfterPlanMB', 'peakRssMB', 'rssGrowthMB', 'heapGrowthMB'],
    };
  },
  async teardown({ pool, bench }) {
    await pool.end();
    await bench.close();
  },
});
