// The message's JSON columns, parsed on the way out of the database with the schemas they were
// written with: a row that does not match fails loudly here instead of deep in a template.
import { z } from 'zod';
import { feedbackSchema, type Feedback } from '../feedback/feedback.schemas.js';
import { findingSchema, type Finding } from '../feedback/lint/lint.schemas.js';
import { renderCheckSchema, sendCheckSchema, type RenderCheck } from './messages.schemas.js';

const nullable =
  <T extends z.ZodType>(schema: T) =>
  (value: unknown): z.output<T> | null =>
    value === null || value === undefined ? null : schema.parse(value);

export const storedFeedback: (value: unknown) => Feedback | null = nullable(feedbackSchema);
export const storedLint: (value: unknown) => Finding[] | null = nullable(z.array(findingSchema));
export const storedRenderChecks: (value: unknown) => RenderCheck[] | null = nullable(z.array(renderCheckSchema));
export const storedSendChecks = nullable(z.array(sendCheckSchema));
/** A message event's detail: an object of facts, whatever the event. */
export const storedDetail = nullable(z.record(z.string(), z.unknown()));
