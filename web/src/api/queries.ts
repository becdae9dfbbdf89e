// Queries more than one place starts: a screen, and the app's start-up, which asks for the data
// of the screen the address names beside the session check instead of after it (main.tsx).
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { api, unwrap } from './client';

/** The inbox reads drafts a cursor page at a time. */
export const INBOX_PAGE = 100;
/**
 * What was just read is not read again when the screen mounts or a neighbour is read ahead:
 * start-up's prefetch is the screen's first read. Changes the app makes itself update the cache.
 */
const FRESH_MS = 10_000;

/** Drafts waiting for approval (of one requisition, from its card), newest page first. */
export const draftsQuery = (requisitionId: string | undefined) =>
  infiniteQueryOptions({
    queryKey: ['messages', 'pending_approval', requisitionId],
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/v1/messages', {
          params: { query: { status: 'pending_approval', limit: INBOX_PAGE, ...(requisitionId ? { requisitionId } : {}), ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    staleTime: FRESH_MS,
  });

/** The organization's settings (the inbox shows its send policy). */
export const organizationQuery = queryOptions({ queryKey: ['organization'], queryFn: () => unwrap(api.GET('/v1/organization')), staleTime: FRESH_MS });

/** One message in full, at a content version (an edit makes a new one). */
export const messageQuery = (id: string, contentVersion: number) =>
  queryOptions({ queryKey: ['message', id, contentVersion], queryFn: () => unwrap(api.GET('/v1/messages/{id}', { params: { path: { id } } })), staleTime: FRESH_MS });
