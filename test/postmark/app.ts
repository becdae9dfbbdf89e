// Builds the fake's Fastify instance; never listens (startPostmarkServer does).

import Fastify, { type FastifyInstance } from 'fastify';
import { postmarkApi } from './api.js';
import { controlRoutes } from './control.js';
import { PAGE_CSP, renderList, renderMessage, renderNotFound } from './page.js';
import type { FakeState } from './state.js';

export function buildPostmarkApp(state: FakeState, options: { logger?: boolean } = {}): FastifyInstance {
  // Keep-alive sockets from fetch would otherwise hold close() open.
  const app = Fastify({ logger: options.logger ?? false, forceCloseConnections: true });

  void app.register(postmarkApi, { state });
  void app.register(controlRoutes, { state, prefix: '/__fake' });

  void app.register(async (pages) => {
    pages.addHook('onSend', async (_request, reply) => {
      reply.header('content-security-policy', PAGE_CSP);
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
    });
    pages.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(renderList(state.store.all())));
    pages.get<{ Params: { id: string } }>('/messages/:id', async (request, reply) => {
      const message = state.store.get(request.params.id);
      reply.type('text/html; charset=utf-8');
      return message ? reply.send(renderMessage(message)) : reply.code(404).send(renderNotFound());
    });
  });

  return app;
}
