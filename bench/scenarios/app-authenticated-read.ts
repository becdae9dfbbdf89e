import { benchApp } from '../lib/app.js';
import { httpScenario } from '../lib/http.js';

// The cheapest authenticated route: key lookup by hash (one indexed query), scope check,
// rate limit (one Redis round trip), one read, zod serialization. Its ratio to the bare
// Fastify route is what every authenticated request pays.
export default httpScenario({
  name: 'app-authenticated-read',
  baseline: 'fastify-hello',
  description: 'GET /v1/organization with an API key (auth + rate limit + one read)',
  async build(ctx) {
    const { app, apiKey, close } = await benchApp(ctx, 'auth-read');
    return { app, close, request: { method: 'GET', path: '/v1/organization', headers: { authorization: `Bearer ${apiKey}` } } };
  },
  request: { method: 'GET', path: '/v1/organization' },
});
