import Fastify from 'fastify';
import pg from 'pg';
import { httpScenario } from '../lib/http.js';
import { ensureDatabase } from '../lib/pg.js';

// Baseline: one INSERT … RETURNING per request through a raw pool, the least a
// write endpoint can cost before validation, ORM and transactions are added.
export default httpScenario({
  name: 'pg-insert',
  description: 'bare Fastify route, raw pg Pool (max 10), one INSERT RETURNING id',
  async build(ctx) {
    await ensureDatabase(ctx.databaseUrl);
    const pool = new pg.Pool({ connectionString: ctx.databaseUrl, max: 10 });
    // An idle client's error with no listener would crash the whole runner.
    pool.on('error', (err) => ctx.log(`pg-insert pool: ${err.message}`));
    try {
      // Dropped and recreated so every run starts from the same table size.
      await pool.query('drop table if exists bench_insert');
      await pool.query('create table bench_insert (id bigserial primary key, payload text not null, created_at timestamptz not null default now())');
    } catch (err) {
      await pool.end();
      throw err;
    }
    const app = Fastify({ logger: false });
    app.post<{ Body: { payload: string } }>('/items', async (request, reply) => {
      const { rows } = await pool.query<{ id: string }>('insert into bench_insert (payload) values ($1) returning id', [request.body.payload]);
      return reply.code(201).send({ id: rows[0]?.id });
    });
    return {
      app,
      async close() {
        await pool.query('drop table if exists bench_insert').finally(() => pool.end());
      },
    };
  },
  request: { method: 'POST', path: '/items', body: { payload: 'hello from the bench' } },
});
