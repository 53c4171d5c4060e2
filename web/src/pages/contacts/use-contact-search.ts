import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { countContacts, searchContacts, type ContactFilter, type ContactSort } from '../../api/contacts';

/** Drops empty keys so the server (and the query cache) sees only what narrows the set. */
export function cleanFilter(filter: ContactFilter): ContactFilter {
  const out: ContactFilter = {};
  if (filter.q?.trim()) out.q = filter.q.trim();
  for (const key of ['stageIds', 'ownerIds', 'teamIds', 'sourceChannels', 'ids'] as const) {
    if (filter[key]?.length) out[key] = filter[key];
  }
  const tags = Object.fromEntries(Object.entries(filter.tags ?? {}).filter(([, ids]) => ids?.length));
  if (Object.keys(tags).length) out.tags = tags;
  for (const key of ['createdAt', 'updatedAt', 'lastActiveAt'] as const) {
    if (filter[key]?.from || filter[key]?.to) out[key] = filter[key];
  }
  if (filter.fields?.length) out.fields = filter.fields;
  if (filter.custom?.length) out.custom = filter.custom;
  return out;
}

export function useContactSearch(filter: ContactFilter, sort: ContactSort, limit = 50) {
  const list = useInfiniteQuery({
    queryKey: ['contacts', 'search', filter, sort, limit],
    queryFn: ({ pageParam }) => searchContacts({ filter, sort, cursor: pageParam, limit }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
  const count = useQuery({ queryKey: ['contacts', 'count', filter], queryFn: () => countContacts(filter).then((r) => r.count), placeholderData: keepPreviousData });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return { list, count, items };
}
