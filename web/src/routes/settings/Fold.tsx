// What the settings pages fold away until asked (attempts, activity, versions, credentials), and
// every query's three states in one place: loading, error (with a retry), empty, or the data.
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Button, Disclosure, DisclosurePanel, Heading } from 'react-aria-components';
import { Empty, ErrorState, Loading } from '../../components/States';

export function Fold({
  title,
  level = 4,
  isExpanded,
  onExpandedChange,
  children,
}: {
  title: string;
  level?: 3 | 4;
  isExpanded?: boolean;
  onExpandedChange?: (open: boolean) => void;
  children: ReactNode;
}) {
  return (
    <Disclosure className="disclosure" {...(isExpanded === undefined ? {} : { isExpanded })} {...(onExpandedChange ? { onExpandedChange } : {})}>
      <Heading level={level}>
        <Button slot="trigger" className="quiet">
          {title}
        </Button>
      </Heading>
      <DisclosurePanel>{children}</DisclosurePanel>
    </Disclosure>
  );
}

export function QueryView<T>({ query, empty, children }: { query: UseQueryResult<T>; empty?: { when: (data: T) => boolean; text: string }; children: (data: T) => ReactNode }) {
  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorState error={query.error} retry={() => void query.refetch()} />;
  if (empty?.when(query.data)) return <Empty>{empty.text}</Empty>;
  return <>{children(query.data)}</>;
}
