import type { ApiScope, UserRole } from '../generated/prisma/enums.js';
import type { RequisitionScope } from './requisition-scope.js';

/** Who did something, resolved once per request and carried into every write it causes. */
export interface Actor {
  organizationId: string;
  /**
   * `user:<id>` (a person, whether through a session or one of their personal keys),
   * `api_key:<id>` (a service key), `ats:<source>`, `cli`, `system`. Four-eyes compares these,
   * so one person is one actor across all their keys and sessions.
   */
  actor: string;
  /** The person, when a person acted. */
  userId?: string | undefined;
  /** The key used, personal or service, when a key was used. */
  apiKeyId?: string | undefined;
  requestId?: string | undefined;
  /** The requisitions a caller of the API may act on; absent (the ATS, workers, the CLI): all. */
  requisitions?: RequisitionScope | undefined;
}

/** What a request authenticated as: a session, a personal key or a service key. */
export interface AuthContext {
  organizationId: string;
  /** Effective scopes: a personal key's are never above its user's role. */
  scopes: readonly ApiScope[];
  /** The person (a session, or a personal key). */
  userId: string | null;
  /** The person's role, when a person is acting. */
  role: UserRole | null;
  apiKeyId: string | null;
  sessionId: string | null;
  /** The requisitions the caller sees and acts on, resolved afresh on every request. */
  requisitions: RequisitionScope;
}

/** An authenticated caller before their requisitions are known (what a key cache may keep). */
export type Authenticated = Omit<AuthContext, 'requisitions'>;

export function hasScope(auth: Pick<AuthContext, 'scopes'>, scope: ApiScope): boolean {
  return auth.scopes.includes(scope) || auth.scopes.includes('admin');
}

/** The audit log's name for the caller: the person if there is one, else the service key. */
export function actorName(auth: Pick<AuthContext, 'userId' | 'apiKeyId'>): string {
  if (auth.userId) return `user:${auth.userId}`;
  if (auth.apiKeyId) return `api_key:${auth.apiKeyId}`;
  throw new Error('an authenticated caller is a user or a key');
}

/** Whose request budget a call spends: the key's, else the session's. */
export const rateKeyOf = (auth: AuthContext) => (auth.apiKeyId ? `key:${auth.apiKeyId}` : `session:${auth.sessionId}`);
