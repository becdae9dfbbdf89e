import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParamsSchema } from '../../lib/schemas.js';
import { pageSchema } from '../../lib/pagination.js';
import { actorOf, authOf } from '../../plugins/auth.js';
import { idempotencyHeadersSchema } from '../../plugins/idempotency.schemas.js';
import {
  applicationInputSchema,
  applicationPatchSchema,
  applicationSchema,
  applicationsQuerySchema,
  bulkInputSchema,
  bulkOutputSchema,
  candidateInputSchema,
  candidatePatchSchema,
  candidateSchema,
  candidatesQuerySchema,
  identityLinkInputSchema,
  identityLinkListSchema,
  identityLinkSchema,
  requisitionInputSchema,
  requisitionPatchSchema,
  requisitionSchema,
  requisitionsQuerySchema,
} from './hiring.schemas.js';
import type { HiringService } from './hiring.service.js';

const upsertNote = 'With `externalIds`, a record already holding any of them is updated (200) instead of created (201); an identical repeat changes nothing.';

export const hiringRoutes: FastifyPluginAsyncZod<{ hiring: HiringService }> = async (app, { hiring }) => {
  // ----- requisitions
  app.post(
    '/v1/requisitions',
    {
      config: { scope: 'write', idempotent: true, errors: ['conflict'] },
      schema: {
        operationId: 'upsertRequisition',
        tags: ['requisitions'],
        summary: 'Create or update a requisition (job opening)',
        description: upsertNote,
        headers: idempotencyHeadersSchema,
        body: requisitionInputSchema,
        response: { 200: requisitionSchema, 201: requisitionSchema },
      },
    },
    async (request, reply) => {
      const { requisition, created } = await hiring.upsertRequisition(actorOf(request), request.body);
      return reply.code(created ? 201 : 200).send(requisition);
    },
  );
  app.get(
    '/v1/requisitions',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listRequisitions',
        tags: ['requisitions'],
        summary: 'List requisitions, oldest first',
        querystring: requisitionsQuerySchema,
        response: { 200: pageSchema(requisitionSchema) },
      },
    },
    async (request) => {
      const { status, ...page } = request.query;
      const { organizationId, requisitions } = authOf(request);
      return hiring.listRequisitions(organizationId, requisitions, { status }, page);
    },
  );
  app.get(
    '/v1/requisitions/:id',
    {
      config: { scope: 'read', requisitionOf: 'requisition' },
      schema: { operationId: 'getRequisition', tags: ['requisitions'], summary: 'One requisition', params: idParamsSchema, response: { 200: requisitionSchema } },
    },
    async (request) => hiring.getRequisition(authOf(request).organizationId, request.params.id),
  );
  app.patch(
    '/v1/requisitions/:id',
    {
      config: { scope: 'write', requisitionOf: 'requisition', errors: ['applicants_without_final_word'] },
      schema: {
        operationId: 'updateRequisition',
        tags: ['requisitions'],
        summary: 'Change some fields of a requisition (status changes are audited)',
        params: idParamsSchema,
        body: requisitionPatchSchema,
        response: { 200: requisitionSchema },
      },
    },
    async (request) => hiring.updateRequisition(actorOf(request), request.params.id, request.body),
  );

  // ----- candidates
  app.post(
    '/v1/candidates',
    {
      config: { scope: 'write', idempotent: true, errors: ['conflict', 'candidate_erased'] },
      schema: {
        operationId: 'upsertCandidate',
        tags: ['candidates'],
        summary: 'Create or update a candidate',
        description: `${upsertNote} Records sharing a normalised email or phone number are linked as the same person. A caller who works on some requisitions only gets 409 when the external ids name a candidate who applied only to requisitions they are not a member of.`,
        headers: idempotencyHeadersSchema,
        body: candidateInputSchema,
        response: { 200: candidateSchema, 201: candidateSchema },
      },
    },
    async (request, reply) => {
      const { candidate, created } = await hiring.upsertCandidate(actorOf(request), request.body);
      return reply.code(created ? 201 : 200).send(candidate);
    },
  );
  app.get(
    '/v1/candidates',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listCandidates',
        tags: ['candidates'],
        summary: 'List candidates, oldest first; filter by email, phone, person or requisition',
        querystring: candidatesQuerySchema,
        response: { 200: pageSchema(candidateSchema) },
      },
    },
    async (request) => {
      const { email, phone, personId, requisitionId, ...page } = request.query;
      const { organizationId, requisitions } = authOf(request);
      return hiring.listCandidates(organizationId, requisitions, { email, phone, personId, requisitionId }, page);
    },
  );
  app.get(
    '/v1/candidates/:id',
    {
      config: { scope: 'read', requisitionOf: 'candidate' },
      schema: {
        operationId: 'getCandidate',
        tags: ['candidates'],
        summary: 'One candidate, with the records linked to it',
        params: idParamsSchema,
        response: { 200: candidateSchema },
      },
    },
    async (request) => hiring.getCandidate(authOf(request).organizationId, request.params.id, authOf(request).requisitions),
  );
  app.patch(
    '/v1/candidates/:id',
    {
      config: { scope: 'write', requisitionOf: 'candidate', errors: ['candidate_erased'] },
      schema: {
        operationId: 'updateCandidate',
        tags: ['candidates'],
        summary: 'Change some fields of a candidate (`emails` replaces the list)',
        params: idParamsSchema,
        body: candidatePatchSchema,
        response: { 200: candidateSchema },
      },
    },
    async (request) => hiring.updateCandidate(actorOf(request), request.params.id, request.body),
  );
  app.post(
    '/v1/candidates/:id/links',
    {
      config: { scope: 'write', requisitionOf: 'candidate', idempotent: true, errors: ['candidate_erased'] },
      schema: {
        operationId: 'linkCandidates',
        tags: ['candidates'],
        summary: 'Record that two candidate records are the same person (an ATS merge)',
        description: 'Both records stay; they share a personId from now on, and the link is audited.',
        headers: idempotencyHeadersSchema,
        params: idParamsSchema,
        body: identityLinkInputSchema,
        response: { 201: identityLinkSchema },
      },
    },
    async (request, reply) => {
      const { candidateId, source, note } = request.body;
      return reply.code(201).send(await hiring.linkCandidates(actorOf(request), request.params.id, candidateId, source, note));
    },
  );
  app.get(
    '/v1/candidates/:id/links',
    {
      config: { scope: 'read', requisitionOf: 'candidate' },
      schema: {
        operationId: 'listIdentityLinks',
        tags: ['candidates'],
        summary: 'Why records are linked as this person: every link with its evidence',
        params: idParamsSchema,
        response: { 200: identityLinkListSchema },
      },
    },
    async (request) => ({ data: await hiring.identityLinks(authOf(request).organizationId, request.params.id, authOf(request).requisitions) }),
  );

  // ----- applications
  app.post(
    '/v1/applications',
    {
      config: { scope: 'write', idempotent: true, errors: ['conflict', 'candidate_erased'] },
      schema: {
        operationId: 'upsertApplication',
        tags: ['applications'],
        summary: 'Create or update an application (candidate × requisition)',
        description: `${upsertNote} The candidate and requisition pair is a key too: one application per pair.`,
        headers: idempotencyHeadersSchema,
        body: applicationInputSchema,
        response: { 200: applicationSchema, 201: applicationSchema },
      },
    },
    async (request, reply) => {
      const { application, created } = await hiring.upsertApplication(actorOf(request), request.body);
      return reply.code(created ? 201 : 200).send(application);
    },
  );
  app.get(
    '/v1/applications',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listApplications',
        tags: ['applications'],
        summary: 'List applications, oldest first',
        querystring: applicationsQuerySchema,
        response: { 200: pageSchema(applicationSchema) },
      },
    },
    async (request) => {
      const { requisitionId, candidateId, status, overdue, ...page } = request.query;
      const { organizationId, requisitions } = authOf(request);
      return hiring.listApplications(organizationId, requisitions, { requisitionId, candidateId, status, overdue: overdue === 'true' ? new Date() : undefined }, page);
    },
  );
  app.get(
    '/v1/applications/:id',
    {
      config: { scope: 'read', requisitionOf: 'application' },
      schema: { operationId: 'getApplication', tags: ['applications'], summary: 'One application', params: idParamsSchema, response: { 200: applicationSchema } },
    },
    async (request) => hiring.getApplication(authOf(request).organizationId, request.params.id),
  );
  app.patch(
    '/v1/applications/:id',
    {
      config: { scope: 'write', requisitionOf: 'application', errors: ['candidate_erased'] },
      schema: {
        operationId: 'updateApplication',
        tags: ['applications'],
        summary: 'Change stage, status or promised decision date (status changes are audited)',
        params: idParamsSchema,
        body: applicationPatchSchema,
        response: { 200: applicationSchema },
      },
    },
    async (request) => hiring.updateApplication(actorOf(request), request.params.id, request.body),
  );

  // ----- bulk
  app.post(
    '/v1/bulk-upserts',
    {
      config: { scope: 'write', idempotent: true, errors: ['conflict', 'candidate_erased'] },
      schema: {
        operationId: 'bulkUpsert',
        tags: ['bulk'],
        summary: 'Create or update up to 1,000 requisitions, candidates and applications at once',
        description:
          'All or nothing, in one transaction: requisitions first, then candidates, then applications (which may name the others by external id). Results are in input order.',
        headers: idempotencyHeadersSchema,
        body: bulkInputSchema,
        response: { 200: bulkOutputSchema },
      },
    },
    async (request) => hiring.bulkUpsert(actorOf(request), request.body),
  );
};
