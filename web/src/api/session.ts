// Who is signed in: GET /v1/me, whose CSRF token the client then sends on every unsafe request.
import { useQuery } from '@tanstack/react-query';
import { api, setCsrfToken, unwrap } from './client';

export const meQueryKey = ['me'] as const;

export function useMe() {
  return useQuery({
    queryKey: meQueryKey,
    queryFn: async () => {
      const me = await unwrap(api.GET('/v1/me'));
      setCsrfToken(me.csrfToken);
      return me;
    },
    retry: false,
    staleTime: 60_000,
  });
}
