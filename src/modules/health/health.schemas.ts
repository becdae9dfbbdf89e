// What liveness and readiness answer.
import { z } from 'zod';

export const livenessSchema = z.object({ status: z.literal('ok') });

/** One dependency's answer; `error` stays generic (readiness is unauthenticated). */
const checkSchema = z.object({ ok: z.boolean(), latencyMs: z.number(), error: z.string().optional() });
export type Check = z.infer<typeof checkSchema>;

export const readinessSchema = z.object({ status: z.literal('ready'), checks: z.object({ postgres: checkSchema, redis: checkSchema }) });
