import Fastify from 'fastify';
import pg from 'pg';
import { httpScenario } from '../lib/http.js';
import { ensureDatabase } from '../lib/pg.js';

// A reference, not the project: one primary-key SELECT per request through a raw pool, the least a
// read endpoint can cost before authentication, rate limits and serialization are added. Its ratio
// to fastify-hello is what one Postgres round trip costs on this machine: app-authenticated-read
// does that read and more, so its own ratio to fastify-hello stays below this one.
export default httpScenario({
  name: 'pg-read',
  baseline: 'fastify-hello',
  description: 'bare Fastify route, raw pg Pool (max 10), one SELECT of a row by primary key',
  async build(ctx) {
    await ensureDatabase(ctx.databaseUrl);
    const pool = new pg.Pool({ connectionString: ctx.databaseUrl, max: 10 });
    // An idle client's error with no listener would crash the whole runner.
    pool.on('error', (err) => ctx.log(`pg-read pool: ${err.message}`));
    try {
      await pool.query('drop table if exists bench_read');
      await pool.query('create table bench_read (id bigint primary key, name text not null, settings jsonb not null, created_at timestamptz not null default now())');
      await pool.query(`insert into bench_read (id, name, settings) select i, 'Organization ' || i, '{"undoWindowMinutes": 10}' from generate_series(1, 1000) i`);
    } catch (err) {
      await pool.end();
      throw err;
    }
    const app = Fastify({ logger: false });
    app.get<{ Params: { id: string } }>('/items/:id', async (request) => {
      const { rows } = await pool.query({ name: 'bench-read', text: 'select id, name, settings, created_at from bench_read where id = $1', values: [request.params.id] });
      return rows[0];
    });
    return {
      app,
      async close() {
        await pool.query('drop table if exists bench_read').finally(() => pool.end());
      },
    };
  },
  request: { method: 'GET', path: '/items/42' },
});
