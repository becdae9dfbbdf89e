import { z } from 'zod';
import { localeSchema } from '../../lib/schemas.js';
import { builtInMessageKinds, messageKindSchema } from '../decisions/decisions.schemas.js';

export const templateParamsSchema = z.object({
  kind: messageKindSchema,
  locale: localeSchema,
});

export const templatePartsSchema = z.strictObject({
  subject: z.string().min(1).max(2000),
  html: z.string().min(1).max(200_000),
  text: z.string().min(1).max(100_000),
});

export const saveTemplateBodySchema = templatePartsSchema.extend({
  baseVersion: z.int32().min(0).optional().describe('The version you edited (0 = the shipped default). A newer one saved meanwhile → 409.'),
});

export const templateSchema = z
  .object({
    kind: z.string(),
    locale: z.string(),
    version: z.int32().describe('0 is the template Hearback ships; your saves are 1, 2, ...'),
    source: z.enum(['default', 'custom']),
    subject: z.string(),
    html: z.string(),
    text: z.string(),
    createdAt: z.date().nullable(),
    createdBy: z.string().nullable(),
  })
  .meta({ id: 'MessageTemplate' });

export const templateSummarySchema = templateSchema.pick({ kind: true, locale: true, version: true, source: true, createdAt: true });

export const previewBodySchema = z
  .object({
    kind: messageKindSchema,
    locale: templateParamsSchema.shape.locale,
    template: templatePartsSchema.optional().describe('Unsaved parts to try; the current template when absent.'),
    data: z
      .union([z.enum(['sample', 'sample_minimal']), z.strictObject({ messageId: z.uuid() })])
      .default('sample')
      .describe('Sample data (rich or sparse), or a real message draft’s data.'),
  })
  .strict();

export const renderedSchema = z
  .object({ subject: z.string(), html: z.string(), text: z.string(), locale: z.string(), version: z.int32().nullable().describe('null for unsaved parts') })
  .meta({ id: 'RenderedMessage' });

export { builtInMessageKinds };
