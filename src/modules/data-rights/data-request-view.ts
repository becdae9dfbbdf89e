// A data request as the API shows it: kind and status named, its closure report parsed, and
// whether it is overdue.
import { z } from 'zod';

const kindSchema = z.enum(['export', 'deletion']);
const statusSchema = z.enum(['pending', 'completed']);
const reportSchema = z.record(z.string(), z.number()).nullable();

export function dataRequestView<T extends { kind: string; status: string; dueAt: Date | null; report: unknown }>(row: T, now: Date) {
  return {
    ...row,
    kind: kindSchema.parse(row.kind),
    status: statusSchema.parse(row.status),
    report: reportSchema.parse(row.report ?? null),
    overdue: row.status === 'pending' && row.dueAt !== null && row.dueAt.getTime() < now.getTime(),
  };
}
