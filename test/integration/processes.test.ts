// The API and worker entry points as real processes: they start, serve, and stop cleanly.
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { deleteRedisPrefix, REDIS_URL } from '../helpers/context.js';
import { startProcess } from '../helpers/process.js';
import { eventually, waitFor } from '../helpers/wait.js';

let database: TestDatabase;
const prefix = `test-proc-${process.pid}`;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await deleteRedisPrefix(prefix);
  await database.drop();
});

const env = () => ({ DATABASE_URL: database.url, REDIS_URL, REDIS_PREFIX: prefix, PORT: '0', LOG_LEVEL: 'info' });

describe('processes', () => {
  it('the API serves, then drains and exits 0 on SIGTERM', async () => {
    const api = startProcess('src/server.ts', env());
    const listening = await api.waitForLog((r) => typeof r.msg === 'string' && r.msg.startsWith('Server listening at http://127.0.0.1:'));
    const url = String(listening.msg).replace('Server listening at ', '');
    // Ready once its connections are up (a moment after listening).
    await eventually(async () => (await fetch(`${url}/readyz`)).status).toBe(200);
    api.child.kill('SIGTERM');
    expect(await api.exited).toEqual({ code: 0, signal: null });
    expect(api.logs.some((r) => r.msg === 'shutting down' && r.signal === 'SIGTERM')).toBe(true);
  });

  it('the workers start every queue and the relay, then exit 0 on SIGTERM', async () => {
    const workers = startProcess('workers/main.ts', env());
    const started = await workers.waitForLog((r) => r.msg === 'workers started');
    expect(started.queues).toEqual(['maintenance', 'messages', 'delivery', 'webhooks', 'inbound', 'ats', 'notifications']);
    workers.child.kill('SIGTERM');
    expect(await workers.exited).toEqual({ code: 0, signal: null });
  });

  it('the workers rewrite their heartbeat file after each delivery pass (the compose healthcheck reads its age)', async () => {
    const file = join(tmpdir(), `hearback-heartbeat-${process.pid}`);
    await rm(file, { force: true });
    const workers = startProcess('workers/main.ts', { ...env(), WORKER_HEARTBEAT_FILE: file, DELIVERY_POLL_MS: '50' });
    const written = () => readFile(file, 'utf8').catch(() => '');
    const first = await waitFor(written, (text) => /^\d{4}-\d\d-\d\dT/.test(text), { what: 'the first heartbeat' });
    // Rewritten: a later pass leaves a later time.
    expect(await waitFor(written, (text) => text > first, { what: 'a later heartbeat' })).not.toBe(first);
    workers.child.kill('SIGTERM');
    expect((await workers.exited).code).toBe(0);
    await rm(file, { force: true });
  });

  it('the workers keep retrying without their database, and still stop cleanly', async () => {
    const workers = startProcess('workers/main.ts', { ...env(), DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/nowhere', OUTBOX_POLL_MS: '50' });
    // The relay keeps retrying (a database restart must not kill the workers)...
    await workers.waitForLog((r) => r.msg === 'outbox relay pass failed; retrying');
    // ...and the process still stops cleanly.
    workers.child.kill('SIGTERM');
    expect((await workers.exited).code).toBe(0);
  });
});
