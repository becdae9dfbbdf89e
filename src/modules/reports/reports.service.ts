// The closure report: did every candidate get a final word, how fast, were promises kept, and
// what is stuck. Figures are computed from one read of the scope's applications, so the parts add
// up; the series is per day (UTC) for charts.
import type { PrismaClient } from '../../db/client.js';
import { notFound } from '../../lib/errors.js';
import { assertVisible } from '../../lib/requisition-scope.js';
import { reportsRepository as repo, type ClosureRow, type ClosureScope } from './reports.repository.js';

const HOUR_MS = 3_600_000;
const SERIES_DAYS = 90;

/** The value below which `p` of the sorted values fall (nearest rank). */
function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const share = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 1000) / 1000);

function timeToFinalWord(rows: ClosureRow[]) {
  const hours = rows.flatMap((r) => (r.finalWordAt ? [(r.finalWordAt.getTime() - r.createdAt.getTime()) / HOUR_MS] : [])).sort((a, b) => a - b);
  const p50 = percentile(hours, 0.5);
  const p90 = percentile(hours, 0.9);
  return { count: hours.length, p50Hours: p50 === null ? null : round1(p50), p90Hours: p90 === null ? null : round1(p90) };
}

function promises(rows: ClosureRow[], now: Date) {
  const promised = rows.filter((r) => r.promisedDecisionAt !== null);
  const kept = promised.filter((r) => r.finalWordAt !== null && r.finalWordAt <= r.promisedDecisionAt!).length;
  const broken = promised.filter((r) => (r.finalWordAt !== null ? r.finalWordAt > r.promisedDecisionAt! : r.promisedDecisionAt! < now)).length;
  return { made: promised.length, kept, broken, open: promised.length - kept - broken, keptShare: share(kept, kept + broken) };
}

function series(rows: ClosureRow[], now: Date) {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - (SERIES_DAYS - 1) * 24 * HOUR_MS);
  const days = new Map<string, { applications: number; finalWords: number }>();
  for (let i = 0; i < SERIES_DAYS; i++) days.set(new Date(start.getTime() + i * 24 * HOUR_MS).toISOString().slice(0, 10), { applications: 0, finalWords: 0 });
  for (const row of rows) {
    const applied = days.get(row.createdAt.toISOString().slice(0, 10));
    if (applied) applied.applications++;
    const told = row.finalWordAt ? days.get(row.finalWordAt.toISOString().slice(0, 10)) : undefined;
    if (told) told.finalWords++;
  }
  return [...days].map(([date, counts]) => ({ date, ...counts }));
}

export type ReportsService = ReturnType<typeof createReportsService>;

export function createReportsService({ db, now = () => new Date() }: { db: PrismaClient; now?: () => Date }) {
  return {
    async closure(scope: ClosureScope) {
      if (scope.requisitionId && !(await repo.requisitionExists(db, scope.organizationId, scope.requisitionId))) throw notFound('Requisition');
      if (scope.requisitionId) assertVisible(scope.requisitions ?? 'all', 'requisition', [scope.requisitionId]);
      const at = now();
      const [rows, stopped, feedback, ratings] = await Promise.all([
        repo.applications(db, scope),
        repo.stopped(db, scope),
        repo.rejectionFeedback(db, scope),
        repo.ratings(db, scope),
      ]);
      const withFinalWord = rows.filter((r) => r.finalWordAt !== null).length;
      return {
        requisitionId: scope.requisitionId ?? null,
        generatedAt: at,
        applicants: rows.length,
        withFinalWord,
        finalWordShare: share(withFinalWord, rows.length),
        waiting: rows.filter((r) => r.finalWordAt === null && r.status === 'active').length,
        timeToFinalWord: {
          all: timeToFinalWord(rows),
          applied: timeToFinalWord(rows.filter((r) => !r.interviewed)),
          interviewed: timeToFinalWord(rows.filter((r) => r.interviewed)),
        },
        promises: promises(rows, at),
        overdueNow: rows.filter((r) => r.finalWordAt === null && r.status === 'active' && r.promisedDecisionAt !== null && r.promisedDecisionAt < at).length,
        held: stopped.held,
        failed: stopped.failed,
        rejectionsSent: feedback.sent,
        rejectionsWithFeedbackShare: share(feedback.withFeedback, feedback.sent),
        ratings: { count: ratings.count, average: ratings.average === null ? null : round1(ratings.average) },
        series: series(rows, at),
      };
    },
  };
}

export type ClosureReport = Awaited<ReturnType<ReturnType<typeof createReportsService>['closure']>>;

/** The report as CSV: one `metric,value` line per figure (the series as `series.<date>.<count>`). */
export function closureCsv(report: ClosureReport): string {
  const lines: [string, string | number | null][] = [
    ['requisition_id', report.requisitionId],
    ['generated_at', report.generatedAt.toISOString()],
    ['applicants', report.applicants],
    ['with_final_word', report.withFinalWord],
    ['final_word_share', report.finalWordShare],
    ['waiting', report.waiting],
    ...(['all', 'applied', 'interviewed'] as const).flatMap((stage): [string, number | null][] => [
      [`time_to_final_word.${stage}.count`, report.timeToFinalWord[stage].count],
      [`time_to_final_word.${stage}.p50_hours`, report.timeToFinalWord[stage].p50Hours],
      [`time_to_final_word.${stage}.p90_hours`, report.timeToFinalWord[stage].p90Hours],
    ]),
    ['promises.made', report.promises.made],
    ['promises.kept', report.promises.kept],
    ['promises.broken', report.promises.broken],
    ['promises.open', report.promises.open],
    ['promises.kept_share', report.promises.keptShare],
    ['overdue_now', report.overdueNow],
    ['held', report.held],
    ['failed', report.failed],
    ['rejections_sent', report.rejectionsSent],
    ['rejections_with_feedback_share', report.rejectionsWithFeedbackShare],
    ['ratings.count', report.ratings.count],
    ['ratings.average', report.ratings.average],
    ...report.series.flatMap((day): [string, number][] => [
      [`series.${day.date}.applications`, day.applications],
      [`series.${day.date}.final_words`, day.finalWords],
    ]),
  ];
  return ['metric,value', ...lines.map(([metric, value]) => `${metric},${value ?? ''}`)].join('\n') + '\n';
}
