import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { benchApp } from '../lib/app.js';
import { seedRequisition } from '../lib/pg.js';
import { defineScenario, type Metrics } from '../lib/types.js';

// A reject-all-others plan over 50,000 applications (quick: 5,000), built and confirmed through
// the API: wall time of each step and the process's peak memory while they run.
const SIZE = { full: 50_000, quick: 5_000 };

export default defineScenario({
  name: 'plan-50k',
  kind: 'custom',
  description: 'reject-all plan over 50,000 applications: plan, then confirm',
  // Seeding 50,000 applicants takes 15-40 s on a busy 2-core machine.
  limits: { setupMs: 120_000, runMs: 240_000 },
  async setup(ctx) {
    const { app, apiKey, close } = await benchApp(ctx, 'plan-50k');
    const headers = { authorization: `Bearer ${apiKey}` };
    const organization = (await app.inject({ method: 'GET', url: '/v1/organization', headers })).json();
    const size = ctx.quick ? SIZE.quick : SIZE.full;
    const pool = new pg.Pool({ connectionString: ctx.databaseUrl, max: 1 });
    try {
      // Seeded in SQL: this measures the plan, not 50,000 API calls.
      const { requisitionId, chosenId } = await seedRequisition(pool, organization.id, 'Bench 50k', size);
      return { app, headers, close, pool, requisitionId, chosenId, size };
    } catch (error) {
      await pool.end();
      await close();
      throw error;
    }
  },
  async run({ app, headers, requisitionId, chosenId, size }): Promise<Metrics> {
    const peak = { rss: 0, heap: 0 };
    const sample = () => {
      const { rss, heapUsed } = process.memoryUsage();
      peak.rss = Math.max(peak.rss, rss);
      peak.heap = Math.max(peak.heap, heapUsed);
    };
    const before = process.memoryUsage();
    const timer = setInterval(sample, 25);
    try {
      let started = performance.now();
      const plan = await (app as FastifyInstance).inject({
        method: 'POST',
        url: `/v1/requisitions/${requisitionId}/plans`,
        headers,
        payload: { chosen: [{ applicationId: chosenId }], targets: { mode: 'all_others_active' } },
      });
      const planMs = performance.now() - started;
      const body = plan.json();
      if (plan.statusCode !== 201) return { values: {} as Record<string, number>, compare: [], invalid: `plan: ${plan.statusCode} ${plan.body.slice(0, 300)}` };
      started = performance.now();
      const confirm = await app.inject({
        method: 'POST',
        url: `/v1/plans/${body.id}/confirm`,
        headers,
        payload: { digest: body.digest, chosenApplicationIds: [chosenId] },
      });
      const confirmMs = performance.now() - started;
      if (confirm.statusCode !== 200) return { values: {} as Record<string, number>, compare: [], invalid: `confirm: ${confirm.statusCode} ${confirm.body.slice(0, 300)}` };
      sample();
      return {
        values: {
          applications: size,
          planMs: Math.round(planMs),
          confirmMs: Math.round(confirmMs),
          messagesCreated: confirm.json().messages.length,
          peakRssMB: Math.round(peak.rss / 2 ** 20),
          heapGrowthMB: Math.round((peak.heap - before.heapUsed) / 2 ** 20),
        },
        // No baseline: listed so the table shows them.
        compare: ['planMs', 'confirmMs', 'peakRssMB', 'heapGrowthMB'],
      };
    } finally {
      clearInterval(timer);
    }
  },
  async teardown({ pool, close }) {
    await pool.end();
    await close();
  },
});
