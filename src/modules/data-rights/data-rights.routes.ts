// The data-rights API (approve an erasure, erase or export a person, retention settings) and the
// candidate's export pages under /f/export/ (the emailed confirmation and the download links).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParamsSchema } from '../../lib/schemas.js';
import { actorOf, authOf } from '../../plugins/auth.js';
import { dataRequestSchema } from '../candidate-page/candidate-actions.routes.js';
import { negotiateLocale } from '../candidate-page/view/locale.js';
import { renderBusyPage } from '../candidate-page/view/render.js';
import { pageSecurityHeaders } from '../candidate-page/view/security.js';
import type { DataRightsService } from './data-rights.service.js';
import { approveBodySchema, dataRightsSettingsBodySchema, dataRightsSettingsSchema, erasureSchema, exportSchema } from './data-rights.schemas.js';
import { confirmPage, readyPage, renewedPage, renewPage } from './export-pages.js';

const tags = ['data rights'];
const tokenParams = z.object({ token: z.string().max(256) });

export interface DataRightsRoutesOptions {
  dataRights: DataRightsService;
  /** The page every link that does not work gets (the candidate page's). */
  unavailable: (request: FastifyRequest, reply: FastifyReply) => FastifyReply;
  /** Requests to the export pages per client address per minute (PAGE_RATE_LIMIT_PER_MINUTE, as the candidate page). */
  perAddressPerMinute: number;
}

export const dataRightsRoutes: FastifyPluginAsyncZod<DataRightsRoutesOptions> = async (app, { dataRights, unavailable, perAddressPerMinute }) => {
  // Link tokens are guessed nowhere near 256 bits' worth, but a script gets the busy page early.
  const perAddress = app.addressLimiter('data-export', perAddressPerMinute);
  const limited = async (request: FastifyRequest, reply: FastifyReply) => {
    const state = await perAddress(request);
    if (!state.limited) return;
    reply.header('retry-after', String(state.retryAfterSeconds));
    return reply
      .code(429)
      .headers(pageSecurityHeaders())
      .send(renderBusyPage(negotiateLocale(request.headers['accept-language']) ?? 'en'));
  };

  app.post(
    '/v1/data-requests/:id/approve',
    {
      config: { scope: 'admin', errors: ['conflict'] },
      schema: {
        operationId: 'approveDataRequest',
        tags,
        summary: 'Approve a deletion request: the person is erased everywhere now, in one transaction, and the request completed with its closure report',
        params: idParamsSchema,
        body: approveBodySchema,
        response: { 200: dataRequestSchema },
      },
    },
    async (request) => dataRights.approve(actorOf(request), request.params.id, request.body.note ?? null),
  );

  app.post(
    '/v1/candidates/:id/erase',
    {
      config: { scope: 'admin', errors: ['conflict'] },
      schema: {
        operationId: 'eraseCandidate',
        tags,
        summary: 'Erase a person (this record and every record of the same person) without a request from their page; tells the ATS (candidate.erased)',
        params: idParamsSchema,
        response: { 200: erasureSchema },
      },
    },
    async (request) => dataRights.erase(actorOf(request), request.params.id),
  );

  app.get(
    '/v1/candidates/:id/export',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'exportCandidate',
        tags,
        summary: 'Everything Hearback keeps about a person, across all their records (audited)',
        params: idParamsSchema,
        response: { 200: exportSchema },
      },
    },
    async (request) => dataRights.export(actorOf(request), request.params.id),
  );

  app.get(
    '/v1/organization/data-rights',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'getDataRightsSettings',
        tags,
        summary: 'How long candidate data and consents are kept, and how erasures are approved',
        response: { 200: dataRightsSettingsSchema },
      },
    },
    async (request) => dataRights.settings(authOf(request).organizationId),
  );

  app.patch(
    '/v1/organization/data-rights',
    {
      config: { scope: 'admin' },
      schema: {
        operationId: 'updateDataRightsSettings',
        tags,
        summary: 'Change retention and erasure approval (audited)',
        body: dataRightsSettingsBodySchema,
        response: { 200: dataRightsSettingsSchema },
      },
    },
    async (request) => dataRights.updateSettings(actorOf(request), request.body),
  );

  const page = (reply: FastifyReply, body: string) => reply.code(200).headers(pageSecurityHeaders()).send(body);

  app.get('/f/export/:token', { schema: { hide: true, params: tokenParams }, onRequest: limited }, async (request, reply) => {
    const confirmation = await dataRights.confirmation(request.params.token);
    if (!confirmation) return unavailable(request, reply);
    return page(reply, confirmPage(confirmation.locale, confirmation.formality, confirmation.company, `/f/export/${request.params.token}`));
  });

  app.get('/f/talent-pool/renew/:token', { schema: { hide: true, params: tokenParams }, onRequest: limited }, async (request, reply) => {
    const renewal = await dataRights.renewal(request.params.token);
    if (!renewal) return unavailable(request, reply);
    return page(reply, renewPage(renewal.locale, renewal.formality, renewal.text, `/f/talent-pool/renew/${request.params.token}`));
  });

  app.post('/f/talent-pool/renew/:token', { schema: { hide: true, params: tokenParams }, onRequest: limited }, async (request, reply) => {
    const renewed = await dataRights.renew(request.params.token);
    if (!renewed) return unavailable(request, reply);
    return page(reply, renewedPage(renewed.locale, renewed.formality));
  });

  app.post('/f/export/:token', { schema: { hide: true, params: tokenParams }, onRequest: limited }, async (request, reply) => {
    const confirmed = await dataRights.confirm(request.params.token);
    if (!confirmed) return unavailable(request, reply);
    const base = `/f/export/download/${confirmed.download}`;
    return page(reply, readyPage(confirmed.locale, confirmed.formality, { html: `${base}/html`, json: `${base}/json` }, confirmed.expiresAt));
  });

  app.get(
    '/f/export/download/:token/:format',
    { schema: { hide: true, params: tokenParams.extend({ format: z.enum(['html', 'json']) }) }, onRequest: limited },
    async (request, reply) => {
      const file = await dataRights.download(request.params.token, request.params.format);
      if (!file) return unavailable(request, reply);
      return reply
        .code(200)
        .headers({ ...pageSecurityHeaders(), 'content-type': file.contentType, 'content-disposition': `attachment; filename="${file.filename}"` })
        .send(file.body);
    },
  );
};
