// Roles are named bundles of the API's scopes: a person's session has their role's scopes, and
// their personal keys have at most those.
import type { ApiScope, UserRole } from '../../generated/prisma/enums.js';

export const roleScopes: Record<UserRole, readonly ApiScope[]> = {
  admin: ['admin'],
  recruiter: ['read', 'write', 'approve', 'override'],
  hiring_manager: ['read', 'write', 'approve'],
  viewer: ['read'],
};

/** A personal key's scopes as far as its user's role allows (the role may have changed since). */
export function scopesWithinRole(keyScopes: readonly ApiScope[], role: UserRole): ApiScope[] {
  if (role === 'admin') return [...keyScopes];
  const allowed = roleScopes[role];
  return keyScopes.filter((scope) => allowed.includes(scope));
}

/** Scopes of `wanted` the role does not grant. */
export const scopesAboveRole = (wanted: readonly ApiScope[], role: UserRole) => wanted.filter((scope) => !scopesWithinRole([scope], role).length);
