import Fastify from 'fastify';
import { httpScenario } from '../lib/http.js';

// Baseline: the ceiling for any Fastify route on this machine and Node version.
export default httpScenario({
  name: 'fastify-hello',
  description: 'bare Fastify 5 route, no plugins, no logger',
  async build() {
    const app = Fastify({ logger: false });
    app.get('/', async () => ({ hello: 'world' }));
    return { app };
  },
  request: { method: 'GET', path: '/' },
});
