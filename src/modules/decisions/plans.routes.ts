import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { answerSerializer, sendStream, withArrays, withArraysStream } from '../../lib/large-json.js';
import { pageQuerySchema, pageSchema } from '../../lib/pagination.js';
import { idParamsSchema } from '../../lib/schemas.js';
import { actorOf, authOf } from '../../plugins/auth.js';
import { idempotencyHeadersSchema } from '../../plugins/idempotency.schemas.js';
import {
  confirmationSchema,
  confirmationJson,
  confirmPlanBodySchema,
  createPlanBodySchema,
  decisionSchema,
  planJson,
  planListQuerySchema,
  planSchema,
  planSummarySchema,
  recordDecisionBodySchema,
  roleChangeBodySchema,
  roleChangeResultSchema,
} from './decisions.schemas.js';
import type { DecisionsService } from './decisions.service.js';
import type { PlansService } from './plans.service.js';

const tags = ['decisions'];
// A route with its own serializer names its content type (Fastify names it for the schema's).
const JSON_TYPE = 'application/json; charset=utf-8';

export const plansRoutes: FastifyPluginAsyncZod<{ plans: PlansService; decisions: DecisionsService }> = async (app, { plans, decisions }) => {
  app.post(
    '/v1/decisions',
    {
      config: { scope: 'write', idempotent: true },
      schema: {
        operationId: 'recordDecision',
        tags,
        summary: 'Record a decision made elsewhere (an ATS hire, offer, rejection, un-rejection...)',
        description: 'A fact, not a message: the application status follows and the confirmation checks see it. ' + 'Messages only ever come from confirmed plans.',
        headers: idempotencyHeadersSchema,
        body: recordDecisionBodySchema,
        response: { 201: decisionSchema },
      },
    },
    async (request, reply) => reply.code(201).send(await decisions.record(actorOf(request), request.body)),
  );

  app.post(
    '/v1/requisitions/:id/plans',
    {
      config: { scope: 'write', requisitionOf: 'requisition', idempotent: true, errors: ['requisition_closed'] },
      schema: {
        operationId: 'createDecisionPlan',
        tags,
        summary: 'Plan a decision: every message it would send, with the confirmation checks',
        description:
          'Nothing is sent and nothing changes. Each item lists its recipient, action, message kind and checks ' +
          '(blocking or warning, with evidence). Confirm with the digest and the chosen application ids typed again.',
        headers: idempotencyHeadersSchema,
        params: idParamsSchema,
        body: createPlanBodySchema,
        response: { 201: planSchema },
      },
    },
    async (request, reply) => {
      const { plan, itemsJson } = await plans.createWithItemsJson(actorOf(request), request.params.id, request.body);
      // The items as the JSON text made to store them: 50,000 items are not encoded twice (planJson).
      reply.code(201).type(JSON_TYPE);
      // Streamed, unless the answer is kept for a retry with the same Idempotency-Key (as text).
      if (request.headers['idempotency-key'] === undefined) return sendStream(reply, planJson(plan, itemsJson, withArraysStream));
      return reply.serializer(answerSerializer((answer: typeof plan) => planJson(answer, itemsJson, withArrays))).send(plan);
    },
  );

  app.post(
    '/v1/requisitions/:id/role-changes',
    {
      config: { scope: 'write', requisitionOf: 'requisition', idempotent: true, errors: ['requisition_closed', 'requisition_not_on_hold'] },
      schema: {
        operationId: 'proposeRoleChange',
        tags,
        summary: 'A role on hold, frozen, cancelled, filled internally or reopened: the plan that tells everyone concerned',
        description:
          'Proposes, in one call, a plan with the honest message for every applicant without a final word yet (position_on_hold, ' +
          'position_cancelled, or a rejection when filled internally), the reason as each message’s personal note. Confirming the plan ' +
          'changes the requisition’s status and queues the messages for approval. When nobody is waiting, the status changes at once. ' +
          'Reopening a requisition on hold proposes a status_update to those who were told it was on hold (and are still waiting), with the reason as its personal note.',
        headers: idempotencyHeadersSchema,
        params: idParamsSchema,
        body: roleChangeBodySchema,
        response: { 201: roleChangeResultSchema },
      },
    },
    async (request, reply) => reply.code(201).send(await plans.proposeRoleChange(actorOf(request), request.params.id, request.body)),
  );

  app.get(
    '/v1/plans',
    {
      config: { scope: 'read' },
      schema: {
        operationId: 'listDecisionPlans',
        tags,
        summary: 'Plans, newest first: waiting for confirmation (from a person or an ATS), confirmed, or expired',
        querystring: pageQuerySchema.extend(planListQuerySchema.shape),
        response: { 200: pageSchema(planSummarySchema) },
      },
    },
    async (request) => {
      const { status, requisitionId, source, ...page } = request.query;
      const { organizationId, requisitions } = authOf(request);
      return plans.list(organizationId, { status, requisitionId, source, requisitions }, page);
    },
  );

  app.get(
    '/v1/plans/:id',
    {
      config: { scope: 'read', requisitionOf: 'plan' },
      schema: { operationId: 'getDecisionPlan', tags, summary: 'A plan as it was computed', params: idParamsSchema, response: { 200: planSchema } },
    },
    async (request) => plans.get(authOf(request).organizationId, request.params.id),
  );

  app.post(
    '/v1/plans/:id/confirm',
    {
      config: { scope: 'write', requisitionOf: 'plan', errors: ['conflict', 'requisition_closed', 'plan_stale', 'plan_expired', 'chosen_mismatch', 'blocked_items'] },
      schema: {
        operationId: 'confirmDecisionPlan',
        tags,
        summary: 'Confirm a plan: record the decisions and create the message drafts, atomically',
        description:
          'Recomputes the plan first. 409 `plan_stale` if anything it depends on changed, `chosen_mismatch` if the ' +
          'chosen ids differ, `blocked_items` while a blocking check has no written override (overrides need the ' +
          '`override` scope), `plan_expired` after its expiry. Confirming again returns the first result (the same decisions and drafts, ' +
          'each listed as the draft it was; an address erased since shows as `[erased]`).',
        params: idParamsSchema,
        body: confirmPlanBodySchema,
        response: { 200: confirmationSchema },
      },
    },
    // A reject-all's 50,000 decisions and drafts are written without encoding each through the
    // schema, and streamed (confirmationJson, withArraysStream).
    async (request, reply) => {
      const confirmation = await plans.confirm(actorOf(request), authOf(request).scopes, request.params.id, request.body);
      return sendStream(reply.type(JSON_TYPE), confirmationJson(confirmation, withArraysStream));
    },
  );
};
