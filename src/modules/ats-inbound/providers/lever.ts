// Lever webhooks (hire.lever.co/developer/documentation, "Webhooks") → InboundEvent. Bodies are
// `{ event, triggeredAt, data, token, signature }` and `data` holds ids only (opportunityId,
// candidateId, contactId, stage or archive-reason ids): no candidate details, no names. The
// application is the opportunity. Lever does not sign `data` (see ../signatures/lever.ts), so the
// ids are pointers to read back from Lever's API rather than facts.
//
// "Hired" is an archive reason in Lever (type `hired`): hiring archives the opportunity. So an
// archive is a hire or a rejection depending on its reason's type, which only the organization's
// archive-reason list says. Without it an archive is ignored, never guessed: a hire mistaken for a
// rejection could send a rejection to the person just hired.
import { z } from 'zod';
import { type ApplicationEventFields, ignored, type InboundEvent, INBOUND_LIMITS, notADecision, unknownEventType } from './events.js';
import { eventTypeOr, MAX_ID_LENGTH, PayloadObject } from './read.js';

/** An archive reason as Lever's `GET /archive_reasons` lists it (`{ id, text, status, type }`). */
export interface LeverArchiveReason {
  type: 'hired' | 'non-hired';
  text?: string | null;
}

/** What the organization's Lever account says about the ids a payload carries. */
export interface LeverContext {
  /** Archive reasons by id: without them an archive cannot be told apart from a hire. */
  archiveReasons?: ReadonlyMap<string, LeverArchiveReason>;
  /** Stage names by id (`GET /stages`); without them `stage` is the stage id. */
  stages?: ReadonlyMap<string, string>;
}

/** The most archive reasons or stages a connection keeps: far more than an account has. */
export const LEVER_LIST_LIMIT = 500;
const LEVER_TEXT_LIMIT = 300;

/** Each id once: the same id twice with two types would make the answer depend on order. */
const uniqueIds = <Item extends { id: string }>(items: Item[], ctx: z.RefinementCtx) => {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: 'listed twice' });
    seen.add(item.id);
  });
};

/**
 * A Lever connection's settings: the `data` arrays of Lever's `GET /archive_reasons` and
 * `GET /stages`, pasted as they are (other keys in an item are dropped). Each list replaces
 * the one before; a list left out means none is known.
 */
export const leverSettingsSchema = z
  .object({
    archiveReasons: z
      .array(
        z.object({
          id: z.string().min(1).max(MAX_ID_LENGTH),
          text: z.string().max(LEVER_TEXT_LIMIT).optional(),
          type: z.enum(['hired', 'non-hired']).describe('`hired`: archiving with this reason is a hire; `non-hired`: a rejection.'),
          status: z.string().max(50).optional().describe('`active` or `inactive` in Lever; kept, not used: an inactive reason still names old archives.'),
        }),
      )
      .max(LEVER_LIST_LIMIT)
      .superRefine(uniqueIds)
      .optional()
      .describe('Lever’s `GET /archive_reasons` `data`. Without it every archive is ignored: a hire cannot be told from a rejection.'),
    stages: z
      .array(z.object({ id: z.string().min(1).max(MAX_ID_LENGTH), text: z.string().max(LEVER_TEXT_LIMIT) }))
      .max(LEVER_LIST_LIMIT)
      .superRefine(uniqueIds)
      .optional()
      .describe('Lever’s `GET /stages` `data`: a stage change then names its stage rather than giving its id.'),
  })
  .strict();
export type LeverSettings = z.infer<typeof leverSettingsSchema>;

/** The mapper's context from a connection's settings. */
export function leverContextOf(settings: LeverSettings): LeverContext {
  return {
    ...(settings.archiveReasons ? { archiveReasons: new Map(settings.archiveReasons.map((r) => [r.id, { type: r.type, text: r.text ?? null }])) } : {}),
    ...(settings.stages ? { stages: new Map(settings.stages.map((s) => [s.id, s.text])) } : {}),
  };
}

/** The events Hearback acts on: what it registers in Lever through the API (ats-api/lever.ts), one webhook each. */
export const LEVER_HANDLED_EVENTS: readonly string[] = ['candidateHired', 'candidateStageChange', 'candidateArchiveChange'];
const DECISION_EVENTS = new Set(LEVER_HANDLED_EVENTS);
const KNOWN_OTHER_EVENTS = new Set([
  'applicationCreated',
  'candidateDeleted', // Whether it removes one opportunity or the whole contact is not documented.
  'interviewCreated',
  'interviewUpdated',
  'interviewDeleted',
  'contactCreated',
  'contactUpdated',
]);

export function mapLever(payload: unknown, context: LeverContext = {}): InboundEvent {
  const body = PayloadObject.body(payload);
  const event = body.eventType('event');
  if (!DECISION_EVENTS.has(event)) return KNOWN_OTHER_EVENTS.has(event) ? notADecision(event) : unknownEventType(event);
  const data = body.object('data');
  // The test request Lever posts when a webhook is set up or verified has `data: {}`.
  if (data.isEmpty) return ignored(event, 'test delivery (empty data)');

  switch (event) {
    case 'candidateHired':
      return { kind: 'hire', ...opportunity(data, body.optionalEpochMillis('triggeredAt')) };
    case 'candidateStageChange': {
      const stageId = data.optionalId('toStageId');
      return {
        kind: 'advance',
        ...opportunity(data, body.optionalEpochMillis('triggeredAt')),
        stage: stageId === null ? null : truncatedStage(context.stages?.get(stageId) ?? stageId),
      };
    }
    case 'candidateArchiveChange':
      return archiveChange(event, body, data, context);
    default:
      return unknownEventType(event); // not reached: DECISION_EVENTS holds the three above
  }
}

/** The event name, or `unknown`; never throws. */
export const leverEventType = (payload: unknown): string => eventTypeOr(payload, 'event');

// ----- events -------------------------------------------------------------------------------

function archiveChange(event: string, body: PayloadObject, data: PayloadObject, context: LeverContext): InboundEvent {
  const to = data.optionalObject('toArchived');
  const from = data.optionalObject('fromArchived');
  const triggeredAt = body.optionalEpochMillis('triggeredAt');

  if (to) {
    const reasonId = to.id('reason');
    const reason = context.archiveReasons?.get(reasonId);
    const fields = opportunity(data, to.optionalEpochMillis('archivedAt') ?? triggeredAt);
    if (reason?.type === 'hired') return { kind: 'hire', ...fields };
    if (reason?.type === 'non-hired') {
      const text = reason.text?.trim() ? reason.text.trim().slice(0, INBOUND_LIMITS.reason) : null;
      return { kind: 'reject', ...fields, reason: text, rejectedBy: null };
    }
    return ignored(event, `archived with reason ${reasonId}, whose type (hired or non-hired) is not known`);
  }

  if (from) {
    const reasonId = from.optionalId('reason');
    const wasHired = reasonId !== null && context.archiveReasons?.get(reasonId)?.type === 'hired';
    // Unarchiving makes the opportunity active again, whatever it was archived for.
    return { kind: wasHired ? 'unhire' : 'unreject', ...opportunity(data, triggeredAt) };
  }

  return ignored(event, 'no archive state on either side of the change');
}

/** The opportunity is the application; the payload carries no candidate or posting details. */
const opportunity = (data: PayloadObject, occurredAt: Date | null): ApplicationEventFields => ({
  application: { externalId: data.id('opportunityId') },
  candidate: null,
  requisition: null,
  occurredAt,
  stage: null,
});

// Names come from the organization's own list, not the wire: cut rather than fail on one.
const truncatedStage = (stage: string): string => stage.slice(0, INBOUND_LIMITS.stage);
