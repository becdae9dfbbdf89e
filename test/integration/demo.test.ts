// The README's first screen, followed: `npm run demo` on moved ports (PORT, POSTMARK_FAKE_PORT),
// then what its output says to do — hire Amara Okafor, see her second record blocked, approve the
// rejections and watch them arrive in the Postmark inbox after the undo window, whatever the day
// and hour. A restart shows the same admin key and mints none. And scripts/local-services, which
// the demo and CI use to start PostgreSQL and Redis, says what to do when they are missing.
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeSendAt } from '../../src/modules/messages/send-time.js';
import { DEMO_ORGANIZATION, DEMO_SEND_POLICY } from '../../prisma/seed.js';
import { deleteRedisPrefix } from '../helpers/context.js';
import { adminUrl, sql, testDatabaseName, testDatabaseUrl } from '../helpers/database.js';
import { endProcess, spawnTracked } from '../helpers/process.js';
import { waitFor } from '../helpers/wait.js';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

let dir: string;
let env: Record<string, string>;
let port: number;
let fakePort: number;
const databaseName = testDatabaseName('demo');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hearback-demo-'));
  port = await freePort();
  fakePort = await freePort();
  env = {
    ...(process.env as Record<string, string>),
    NODE_ENV: 'development',
    PORT: String(port),
    POSTMARK_FAKE_PORT: String(fakePort),
    DATABASE_URL: testDatabaseUrl(databaseName),
    REDIS_PREFIX: `hb-demo-test-${process.pid}`,
    DEMO_KEY_FILE: join(dir, 'demo-key.json'),
    LOG_LEVEL: 'warn',
  };
  delete env.PUBLIC_BASE_URL;
  delete env.POSTMARK_API_URL;
});
afterAll(async () => {
  await sql(adminUrl(), `DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
  await deleteRedisPrefix(env.REDIS_PREFIX!);
  await rm(dir, { recursive: true, force: true });
});

interface Demo {
  child: ChildProcess;
  output: () => string;
}

/** `npm run demo`, as the README says, until it says it is running. */
async function startDemo(): Promise<Demo> {
  const child = spawnTracked('npm', ['run', 'demo'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitFor(
    () => output,
    (text) => text.includes('Ctrl-C stops everything') || child.exitCode !== null,
    { what: 'the demo to start', checks: 600 },
  );
  expect(child.exitCode, output).toBeNull();
  return { child, output: () => output };
}

const printed = (output: string, label: string) => new RegExp(`${label}\\s+(\\S+)`).exec(output)?.[1];

describe('npm run demo, on moved ports', () => {
  let demo: Demo;
  let key: string;
  let api: string;
  let inbox: string;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${api}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // Bodies of a dozen operations, read like supertest's (`any`): the assertions below type what they use.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: res.status, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    demo = await startDemo();
    key = printed(demo.output(), 'Admin API key')!;
    api = printed(demo.output(), 'API')!;
    inbox = printed(demo.output(), 'Postmark inbox')!;
  });
  afterAll(async () => {
    if (demo) await endProcess(demo.child);
  });

  it('prints every URL on the ports it was given', async () => {
    expect(key).toMatch(/^hb_live_/);
    expect(api).toBe(`http://localhost:${port}`);
    expect(demo.output()).toContain(`interactive docs: http://localhost:${port}/docs`);
    expect(inbox).toBe(`http://127.0.0.1:${fakePort}/`);
    // The links the API hands out follow too: its OpenAPI servers and the Postmark webhook URL.
    const openapi = (await fetch(`${api}/openapi.json`).then((res) => res.json())) as { servers: Array<{ url: string }> };
    expect(openapi.servers[0]!.url).toBe(`http://localhost:${port}`);
    const postmark = await call('GET', '/v1/organization/postmark');
    expect(new URL(postmark.body.webhookUrl).host).toBe(`localhost:${port}`);
    expect((await fetch(`${inbox}__fake/health`)).status).toBe(200);
    // The recruiter web app, built by the demo when missing or stale, served under its CSP.
    const webApp = printed(demo.output(), 'Web app')!;
    expect(webApp).toBe(`http://localhost:${port}/app/`);
    const page = await fetch(webApp);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const script = /src="(\/app\/assets\/[^"]+\.js)"/.exec(await page.text())?.[1];
    expect((await fetch(`${api}${script}`)).status).toBe(200);
  });

  it('the flow it prints: hire Amara Okafor, her second record blocked, the rejections arrive after the undo window', async () => {
    const [requisition] = (await call('GET', '/v1/requisitions')).body.data;
    const candidates = (await call('GET', '/v1/candidates?limit=10')).body.data as Array<{ id: string; name: string; emails: string[] }>;
    const applications = (await call('GET', '/v1/applications?limit=10')).body.data as Array<{ id: string; candidateId: string }>;
    expect(applications).toHaveLength(5);
    const nameOf = (application: { candidateId: string }) => candidates.find((c) => c.id === application.candidateId)!.name;
    const [amara, amaraAgain, ...others] = [...applications].sort((x, y) => {
      const rank = (a: { candidateId: string }) => (nameOf(a) === 'Amara Okafor' ? 0 : 1);
      return rank(x) - rank(y) || candidates.findIndex((c) => c.id === x.candidateId) - candidates.findIndex((c) => c.id === y.candidateId);
    });
    expect(nameOf(amaraAgain!)).toBe('Amara Okafor');

    const everyone = await call('POST', `/v1/requisitions/${requisition.id}/plans`, { chosen: [{ applicationId: amara!.id }], targets: { mode: 'all_others_active' } });
    expect(everyone.status).toBe(201);
    const blocked = everyone.body.items.find((item: { applicationId: string }) => item.applicationId === amaraAgain!.id);
    expect(blocked.checks.map((check: { code: string }) => check.code)).toContain('same_person_as_chosen');

    // Amara's second record out of the targets; the three others hear back.
    const plan = await call('POST', `/v1/requisitions/${requisition.id}/plans`, {
      chosen: [{ applicationId: amara!.id }],
      targets: { mode: 'list', applicationIds: others.map((a) => a.id) },
    });
    expect(plan.body.summary.blocked).toBe(0);
    const confirmed = await call('POST', `/v1/plans/${plan.body.id}/confirm`, { digest: plan.body.digest, chosenApplicationIds: [amara!.id] });
    expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);

    const drafted = await waitFor(
      async () => (await call('GET', '/v1/messages?status=pending_approval&limit=50')).body.data as Array<{ id: string; contentVersion: number }>,
      (messages) => messages.length === 3,
      { what: 'three messages to approve' },
    );
    const approvedAt = Date.now();
    for (const message of drafted) {
      const approved = await call('POST', `/v1/messages/${message.id}/approve`, { contentVersion: message.contentVersion });
      expect(approved.status, JSON.stringify(approved.body)).toBe(200);
      // Now, whatever the weekday and hour: only the undo window stands between approval and sending.
      const sendAt = Date.parse(approved.body.sendAt);
      expect(sendAt - approvedAt).toBeGreaterThanOrEqual(DEMO_SEND_POLICY.undoWindowMinutes * 60_000 - 1000);
      expect(sendAt - Date.now()).toBeLessThanOrEqual(DEMO_SEND_POLICY.undoWindowMinutes * 60_000);
    }
    const scheduledUntil = async () => {
      const waiting = (await call('GET', '/v1/messages?limit=50')).body.data as Array<{ status: string; sendAt: string | null }>;
      return waiting.some((m) => ['approved', 'scheduled'].includes(m.status) && m.sendAt !== null && Date.parse(m.sendAt) > Date.now());
    };
    const delivered = await waitFor(
      async () => ((await fetch(`${inbox}__fake/messages`).then((res) => res.json())) as { Messages: Array<{ To: string }> }).Messages,
      (messages) => messages.length === 3,
      { what: 'the three rejections in the Postmark inbox', resting: scheduledUntil },
    );
    expect(delivered.map((m) => m.To).join(' ')).not.toMatch(/amara/i);
  });

  it('a restart shows the same admin key and mints none, and says when the send policy is no longer the demo’s', async () => {
    expect(demo.output()).not.toContain('another send policy');
    expect((await call('PATCH', '/v1/organization', { sendWeekdaysOnly: true, sendHourStart: 9, sendHourEnd: 18 })).status).toBe(200);
    await endProcess(demo.child);
    const keysBefore = await sql(env.DATABASE_URL!, 'SELECT count(*)::int AS n FROM api_keys');
    demo = await startDemo();
    expect(printed(demo.output(), 'Admin API key')).toBe(key);
    expect(demo.output()).toContain('the same key as last time');
    expect(demo.output()).toContain('this demo organization has another send policy');
    expect(demo.output()).toContain(`-d '${JSON.stringify(DEMO_SEND_POLICY)}' http://localhost:${port}/v1/organization`);
    expect(await sql(env.DATABASE_URL!, 'SELECT count(*)::int AS n FROM api_keys')).toEqual(keysBefore);
    const organizations = await sql(env.DATABASE_URL!, 'SELECT count(*)::int AS n FROM organizations WHERE name = $1', [DEMO_ORGANIZATION]);
    expect(organizations).toEqual([{ n: 1 }]);
  });
});

describe('the demo organization’s send policy', () => {
  it('sends right after the undo window at every hour of every weekday, in any time zone', () => {
    const monday = Date.parse('2026-12-07T00:00:00Z');
    for (const timezone of ['UTC', 'America/Los_Angeles', 'Asia/Kolkata', 'Pacific/Kiritimati']) {
      for (let hour = 0; hour < 7 * 24; hour++) {
        const approvedAt = new Date(monday + hour * 3_600_000 + 17 * 60_000);
        const lastInterviewAt = new Date(approvedAt.getTime() - 5 * 60_000);
        const sendAt = computeSendAt({ approvedAt, isRejection: true, lastInterviewAt, timezone }, DEMO_SEND_POLICY);
        expect(sendAt.getTime() - approvedAt.getTime(), `${timezone} ${approvedAt.toISOString()}`).toBe(DEMO_SEND_POLICY.undoWindowMinutes * 60_000);
      }
    }
  });
});

describe('scripts/local-services', () => {
  it('leaves running services alone', () => {
    const run = spawnSync('scripts/local-services', ['127.0.0.1', '5432', '127.0.0.1', '6379'], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).not.toContain('starting');
  });

  it('says plainly what to do when PostgreSQL and Redis are neither running nor installed', async () => {
    // A PATH with the shell's everyday tools only: no pg_ctlcluster, no redis-server.
    const bin = await mkdtemp(join(tmpdir(), 'hearback-path-'));
    for (const tool of ['ls', 'sort', 'tail', 'seq', 'sleep', 'cat', 'dirname']) {
      const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
      await symlink(found, join(bin, tool));
    }
    const [pgPort, redisPort] = [await freePort(), await freePort()];
    const run = spawnSync('/bin/bash', ['scripts/local-services', '127.0.0.1', String(pgPort), '127.0.0.1', String(redisPort)], {
      encoding: 'utf8',
      env: { PATH: bin },
    });
    await rm(bin, { recursive: true, force: true });
    expect(run.status).toBe(1);
    expect(run.stdout).not.toContain('starting');
    expect(run.stderr).toContain(`PostgreSQL is not running at 127.0.0.1:${pgPort}, and there is none on this machine to start`);
    expect(run.stderr).toContain(`Redis is not running at 127.0.0.1:${redisPort}, and there is none on this machine to start`);
    expect(run.stderr).toMatch(/apt-get install postgresql[\s\S]*docker run[\s\S]*DATABASE_URL/);
    expect(run.stderr).toMatch(/apt-get install redis-server[\s\S]*docker run[\s\S]*REDIS_URL/);
  });
});
