// Message search results (GET /inbox/search): every message the member may see whose text has
// the words, newest first; a click opens its conversation.
import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Drawer, Empty, List, Spin, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { searchMessages } from '../../api/inbox';
import { ErrorAlert } from '../../components/errors';
import { useFormatDate } from '../../components/format';

export function SearchResults({ q, onClose, onOpen }: { q: string | null; onClose: () => void; onOpen: (conversationId: string) => void }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const query = useInfiniteQuery({
    queryKey: ['inbox', 'search', q],
    queryFn: ({ pageParam }) => searchMessages(q!, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: Boolean(q),
  });
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Drawer open={Boolean(q)} onClose={onClose} title={t('inbox.search.title', { q })} size={420} data-testid="search-results">
      {query.isPending ? <Spin /> : null}
      {query.isError ? <ErrorAlert error={query.error} /> : null}
      {query.isSuccess && !items.length ? <Empty description={t('inbox.search.none')} /> : null}
      <List dataSource={items} renderItem={(m) => (
        <List.Item style={{ cursor: 'pointer' }} onClick={() => onOpen(m.conversationId)} data-testid="search-result">
          <List.Item.Meta
            title={<>{m.direction === 'note' ? <Tag color="gold">{t('inbox.note')}</Tag> : null}<Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatDate(m.createdAt)}</Typography.Text></>}
            description={<Typography.Paragraph ellipsis={{ rows: 3 }} style={{ marginBottom: 0, color: '#262626' }}>{m.text ?? ''}</Typography.Paragraph>}
          />
        </List.Item>
      )} />
      {query.hasNextPage ? <Button block loading={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>{t('inbox.more')}</Button> : null}
    </Drawer>
  );
}
