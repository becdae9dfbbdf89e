import { z } from 'zod';

export const closureQuerySchema = z
  .object({
    requisitionId: z.uuid().optional().describe('One requisition; the whole organization when left out.'),
  })
  .strict();

const timing = z.object({
  count: z.int32().describe('Applications with a final word.'),
  p50Hours: z.number().nullable().describe('Hours from application to final word, median.'),
  p90Hours: z.number().nullable(),
});

export const closureReportSchema = z
  .object({
    requisitionId: z.uuid().nullable(),
    generatedAt: z.date(),
    applicants: z.int32(),
    withFinalWord: z
      .int32()
      .describe(
        'Applications whose process ended in words the candidate received: a sent rejection, cancellation or filled notice (their own or the one carrying it), a hire, or a recorded withdrawal.',
      ),
    finalWordShare: z.number().nullable(),
    waiting: z.int32().describe('Active applications without a final word yet.'),
    timeToFinalWord: z.object({ all: timing, applied: timing.describe('Never interviewed.'), interviewed: timing }),
    promises: z.object({
      made: z.int32().describe('Applications with a promised decision date.'),
      kept: z.int32().describe('Final word at or before the promised date.'),
      broken: z.int32().describe('Final word after it, or none while the date has passed.'),
      open: z.int32().describe('Date still ahead and no final word yet.'),
      keptShare: z.number().nullable(),
    }),
    overdueNow: z.int32().describe('Active applications past their promised date with no final word.'),
    held: z.int32().describe('Messages a check holds now (a person decides).'),
    failed: z.int32().describe('Messages whose delivery failed.'),
    rejectionsSent: z.int32(),
    rejectionsWithFeedbackShare: z.number().nullable().describe('Sent rejections that carried written feedback (strengths, advice, competencies or a personal note).'),
    ratings: z.object({ count: z.int32(), average: z.number().nullable().describe('1–5, the candidates’ rating of the feedback they received.') }),
    series: z
      .array(z.object({ date: z.string().describe('UTC day, YYYY-MM-DD'), applications: z.int32(), finalWords: z.int32() }))
      .describe('The last 90 days, one entry per day.'),
  })
  .meta({ id: 'ClosureReport' });
