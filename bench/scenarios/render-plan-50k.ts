import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../../src/app.js';
import { benchDeps } from '../lib/app.js';
import { seedRequisition } from '../lib/pg.js';
import { runChildJob } from '../lib/child-job.js';
import { defineScenario, type Metrics } from '../lib/types.js';

interface JobResult {
  rendered: number;
  totalMs: number;
  rssBeforeMB: number;
  peakRssMB: number;
}

// The drafts of a confirmed reject-all plan over 50,000 applications (quick: 5,000), rendered as
// the render-plan job does (templates, context, lint, foreign-data check, stored): total time and
// messages per second. The plan is built and confirmed through the API in setup (not measured).
const SIZE = { full: 50_000, quick: 5_000 };

export default defineScenario({
  name: 'render-plan-50k',
  kind: 'custom',
  description: 'render-plan job over the 50,000 drafts of a confirmed plan',
  // Seeding, planning and confirming 50,000 takes a while; the render took minutes before batching.
  limits: { setupMs: 300_000, runMs: 900_000 },
  async setup(ctx) {
    const bench = await benchDeps(ctx, 'render-plan-50k');
    const app: FastifyInstance = await buildApp({ config: bench.config, deps: bench.deps, logger: false }).catch(async (error) => {
      await bench.close();
      throw error;
    });
    const close = async () => (await app.close(), await bench.close());
    const pool = new pg.Pool({ connectionString: ctx.databaseUrl, max: 1 });
    try {
      const { secret } = await bench.deps.organizations.createOrganization('Bench render-plan-50k');
      const headers = { authorization: `Bearer ${secret}` };
      const organization = (await app.inject({ method: 'GET', url: '/v1/organization', headers })).json();
      const size = ctx.quick ? SIZE.quick : SIZE.full;
      // Seeded in SQL as plan-50k does; the plan and its confirmation go through the API.
      const { requisitionId, chosenId } = await seedRequisition(pool, organization.id, 'Bench render 50k', size + 1);
      const plan = await app.inject({
        method: 'POST',
        url: `/v1/requisitions/${requisitionId}/plans`,
        headers,
        payload: { chosen: [{ applicationId: chosenId }], targets: { mode: 'all_others_active' } },
      });
      if (plan.statusCode !== 201) throw new Error(`plan: ${plan.statusCode} ${plan.body.slice(0, 300)}`);
      const body = plan.json();
      const confirm = await app.inject({ method: 'POST', url: `/v1/plans/${body.id}/confirm`, headers, payload: { digest: body.digest, chosenApplicationIds: [chosenId] } });
      if (confirm.statusCode !== 200) throw new Error(`confirm: ${confirm.statusCode} ${confirm.body.slice(0, 300)}`);
      return { messages: bench.deps.messages, close, pool, planId: body.id as string, drafts: confirm.json().messages.length as number };
    } catch (error) {
      await pool.end();
      await close();
      throw error;
    }
  },
  async run({ planId, drafts }, ctx): Promise<Metrics> {
    // In a process of its own, as the worker runs it (see lib/render-plan-job.ts).
    const job = await runChildJob<JobResult>(ctx, 'render-plan-job.ts', [planId]);
    if (job.rendered !== drafts) return { values: {}, compare: [], invalid: `rendered ${job.rendered} of ${drafts} drafts` };
    return {
      values: {
        messages: job.rendered,
        totalMs: Math.round(job.totalMs),
        messagesPerSec: Math.round((job.rendered / job.totalMs) * 1000),
        peakRssMB: Math.round(job.peakRssMB),
        rssBeforeMB: Math.round(job.rssBeforeMB),
      },
      // No baseline: listed so the table shows them.
      compare: ['totalMs', 'messagesPerSec', 'peakRssMB', 'rssBeforeMB'],
    };
  },
  async teardown({ pool, close }) {
    await pool.end();
    await close();
  },
});
