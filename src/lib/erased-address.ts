import { sha256Hex } from './hash.js';

/**
 * The suppression entry an erased person leaves: a keyed hash of their normalised address, never
 * the address. Keyed with the organization id so one hash says nothing across organizations; the
 * sender computes the same for every recipient and refuses a match (decisions.repository.ts).
 */
export const erasedAddressKey = (organizationId: string, normalizedEmail: string): string => `erased:${sha256Hex(`hearback-erased|${organizationId}|${normalizedEmail}`)}`;
