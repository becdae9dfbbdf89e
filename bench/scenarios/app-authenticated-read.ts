import { benchApp } from '../lib/app.js';
import { httpScenario } from '../lib/http.js';

// The cheapest authenticated route: the key and the organization's answer both come from the
// process's memory after the first request (api-key-cache.ts, organization-cache.ts: forgotten in
// every process at commit through NOTIFY), then the scope check and the rate limit (tokens leased
// from Redis, one call per lease). Its ratio to the bare Fastify route is what every
// authenticated request pays around its own work.
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
