import { useInfiniteQuery } from '@tanstack/react-query';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, type Page } from '../api/client';

type Params = Record<string, string | number | undefined | null>;

/** A server-side, cursor-paginated list: the first page, then "load more" appends the next. */
export function useCursorList<T>(path: string, params: Params = {}, options: { limit?: number; refetchInterval?: (items: T[]) => number | false } = {}) {
  const limit = options.limit ?? 20;
  const query = useInfiniteQuery({
    queryKey: ['list', path, params, limit],
    queryFn: ({ pageParam }) => api.get<Page<T>>(path, { ...params, limit, cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: options.refetchInterval
      ? (q) => options.refetchInterval?.(q.state.data?.pages.flatMap((p) => p.items) ?? []) ?? false
      : undefined,
  });
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  return { ...query, items };
}

export function LoadMore({ list }: { list: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown } }) {
  const { t } = useTranslation();
  if (!list.hasNextPage) return null;
  return (
    <div style={{ textAlign: 'center', marginTop: 16 }}>
      <Button onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid="load-more">
        {t('common.loadMore')}
      </Button>
    </div>
  );
}
