// Which requisitions a caller sees and acts on. Admins and service keys see every requisition;
// everyone else only those they are a member of. Everything hanging off a requisition follows it,
// and what the caller cannot see is a 404 exactly like another organization's.
import { notFound } from './errors.js';

/** `all`, or the ids of the requisitions the caller is a member of. */
export type RequisitionScope = 'all' | readonly string[];

/** The kinds of things that belong to a requisition, as a route names the one it acts on. */
export type RequisitionEntity = 'requisition' | 'application' | 'candidate' | 'plan' | 'message' | 'question';

/** How each kind is named in a 404: the same words as when it does not exist at all. */
export const ENTITY_LABEL: Record<RequisitionEntity, string> = {
  requisition: 'Requisition',
  application: 'Application',
  candidate: 'Candidate',
  plan: 'Plan',
  message: 'Message',
  question: 'Question',
};

export const seesAll = (scope: RequisitionScope): scope is 'all' => scope === 'all';

export const canSee = (scope: RequisitionScope, requisitionId: string) => seesAll(scope) || scope.includes(requisitionId);

/** A Prisma `where` fragment for a row with a `requisitionId` column (nothing when the caller sees all). */
export const onVisibleRequisitions = (scope: RequisitionScope): { requisitionId?: { in: string[] } } => (seesAll(scope) ? {} : { requisitionId: { in: [...scope] } });

/**
 * Throws the kind's 404 unless one of the requisitions an entity belongs to is visible (a
 * candidate belongs to every requisition they applied to; an unknown entity belongs to none).
 */
export function assertVisible(scope: RequisitionScope, kind: RequisitionEntity, requisitionIds: readonly string[]): void {
  if (!requisitionIds.some((id) => canSee(scope, id))) throw notFound(ENTITY_LABEL[kind]);
}

/** The same for a candidate: visible through an application on a visible requisition. */
export const onVisibleApplications = (scope: RequisitionScope): { applications?: { some: { requisitionId: { in: string[] } } } } =>
  seesAll(scope) ? {} : { applications: { some: { requisitionId: { in: [...scope] } } } };

/** For raw SQL: `AND (${all} OR requisition_id = ANY(${ids}::uuid[]))`. */
export const sqlScope = (scope: RequisitionScope = 'all') => ({ all: seesAll(scope), ids: seesAll(scope) ? [] : [...scope] });
