// The organization's settings (GET/PATCH /v1/organization), shared by the send-policy and
// four-eyes pages: one query, and a save that refreshes it (and what the inbox shows from it).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '../../api/client';
import { organizationQuery } from '../../api/queries';
import type { paths } from '../../api/schema';

export const organizationQueryKey = organizationQuery.queryKey;

export function useOrganization() {
  return useQuery(organizationQuery);
}

type Patch = paths['/v1/organization']['patch']['requestBody']['content']['application/json'];

export function useSaveOrganization(onSaved?: (organization: Schemas['Organization']) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: Patch) => unwrap(api.PATCH('/v1/organization', { body: patch })),
    onSuccess: (organization) => {
      queryClient.setQueryData(organizationQueryKey, organization);
      onSaved?.(organization);
    },
  });
}
