// The OpenAPI document's `webhooks` section: every event Hearback delivers, as the body an
// endpoint receives. The composition root hands it to the OpenAPI plugin, which knows no module.
import { z } from 'zod';
import { envelopeSchema, eventDataSchemas, eventTypes } from './events.js';

export function outgoingWebhooksDocument(): Record<string, unknown> {
  return Object.fromEntries(
    eventTypes.map((type) => [
      type,
      {
        post: {
          operationId: `webhook_${type.replace(/\W/g, '_')}`,
          // Hearback calls the endpoint: no API key of ours; the signature authenticates the body.
          security: [],
          summary: `${type} — signed per Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature: v1,<base64>)`,
          requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(envelopeSchema(type, eventDataSchemas[type]), { io: 'input' }) } } },
          responses: { '2XX': { description: 'Received. Anything else is retried on the schedule; 410 disables the endpoint.' } },
        },
      },
    ]),
  );
}
