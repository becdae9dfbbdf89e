// A folded list read only once it is opened (attempts, activity, versions): its three states,
// then one line per item.
import { useQuery, type QueryKey } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Fold, QueryView } from './Fold';

export function LazyList<T>({
  title,
  level,
  queryKey,
  load,
  empty,
  keyOf,
  item,
}: {
  title: string;
  level?: 3 | 4;
  queryKey: QueryKey;
  load: () => Promise<{ data: T[] }>;
  empty: string;
  keyOf: (row: T) => string | number;
  item: (row: T) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const list = useQuery({ queryKey, queryFn: load, enabled: open });
  return (
    <Fold title={title} {...(level ? { level } : {})} isExpanded={open} onExpandedChange={setOpen}>
      <QueryView query={list} empty={{ when: (data) => data.data.length === 0, text: empty }}>
        {(data) => (
          <ul className="attempts">
            {data.data.map((row) => (
              <li key={keyOf(row)}>{item(row)}</li>
            ))}
          </ul>
        )}
      </QueryView>
    </Fold>
  );
}
