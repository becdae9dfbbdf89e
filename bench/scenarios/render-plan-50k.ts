import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../../src/app.js';
import { benchDeps } from '../lib/app.js';
import { seedRequisition } from '../lib/pg.js';
import { REPO_ROOT } from '../lib/processes.js';
import { defineScenario, type BenchContext, type Metrics } from '../lib/types.js';

const SETPRIV = '/usr/bin/setpriv';

interface JobResult {
  rendered: number;
  totalMs: number;
  rssBeforeMB: number;
  peakRssMB: number;
}

/** Runs lib/render-plan-job.ts in a child process (it dies with the bench: parent-death signal) and reads its one line. */
function renderPlanJob(ctx: BenchContext, planId: string): Promise<JobResult> {
  const argv = ['--import', 'tsx', 'bench/lib/render-plan-job.ts', planId];
  const [file, args] = existsSync(SETPRIV) ? [SETPRIV, ['--pdeathsig', 'KILL', '--', process.execPath, ...argv]] : [process.execPath, argv];
  const env = { PATH: process.env.PATH ?? '', BENCH_DATABASE_URL: ctx.databaseUrl, BENCH_REDIS_URL: ctx.redisUrl };
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd: REPO_ROOT, env, maxBuffer: 16 * 2 ** 20 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`render-plan job: ${error.message}\n${stderr.slice(-2000)}`));
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as JobResult);
      } catch {
        reject(new Error(`render-plan job printed no result: ${stdout.slice(-2000)}`));
      }
    });
  });
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
    const job = await renderPlanJob(ctx, planId);
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
