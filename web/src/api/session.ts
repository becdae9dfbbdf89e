// Who is signed in: GET /v1/me, whose CSRF token the client then sends on every unsafe request.
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, setCsrfToken, unwrap } from './client';

export const meQueryKey = ['me'] as const;

const LAST_ORGANIZATION = 'hearback.organization';
/** The organization this browser last signed in to: its sign-in page offers its single sign-on. */
export const lastOrganization = () => window.localStorage.getItem(LAST_ORGANIZATION);

/** Who is signed in; read at start-up (main.tsx) and by every signed-in screen. */
export const meQuery = queryOptions({
  queryKey: meQueryKey,
  queryFn: async () => {
    const me = await unwrap(api.GET('/v1/me'));
    setCsrfToken(me.csrfToken);
    window.localStorage.setItem(LAST_ORGANIZATION, me.organizationId);
    return me;
  },
  retry: false,
  staleTime: 60_000,
});

export function useMe() {
  return useQuery(meQuery);
}

/** Whether the signed-in person administers the organization (the settings and their nav entry). */
export const isAdmin = (me: ReturnType<typeof useMe>['data']) => me?.user?.role === 'admin' || (me?.scopes ?? []).includes('admin');
