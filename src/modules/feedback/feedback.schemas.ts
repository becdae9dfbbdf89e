// Structured feedback for one candidate: what the messages render and the lint reads.
// Every string and list is bounded.
import { z } from 'zod';

export const reasonCategories = [
  'position_filled',
  'skills_gap',
  'experience_level',
  'internal_candidate',
  'hiring_freeze',
  'role_cancelled',
  'candidate_withdrew',
  'role_on_hold',
  'other',
] as const;

const text = (max: number) => z.string().trim().min(1).max(max);

export const feedbackSchema = z
  .object({
    reasonCategory: z.enum(reasonCategories),
    strengths: z.array(text(500)).max(10).default([]),
    areasToImprove: z.array(text(500)).max(10).default([]),
    competencies: z
      .array(z.strictObject({ name: text(100), rating: z.int32().min(1).max(5), comment: text(500).optional() }))
      .max(20)
      .default([]),
    personalNote: text(2000).optional(),
    nextSteps: z
      .strictObject({
        otherOpenings: z.array(text(300)).max(10).default([]),
        talentPoolInvite: z.boolean().default(false),
      })
      .optional(),
  })
  .strict()
  .meta({ id: 'Feedback' });
export type Feedback = z.infer<typeof feedbackSchema>;
