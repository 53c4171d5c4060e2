// The conversation list: views (mine / unassigned / all), filters by status, team, channel and
// label, newest activity first, unread counts, and more on request.
import { Badge, Button, Empty, Flex, Input, Segmented, Select, Spin, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { conversationStatuses, type Conversation } from '../../api/inbox';
import { ChannelIcon } from '../../components/channel';
import { ErrorAlert } from '../../components/errors';
import { statusColors } from './thread';
import { titleOf, views, type InboxFilter, type Names, type View } from './use-inbox';

function useRelativeTime() {
  const { i18n } = useTranslation();
  const rtf = new Intl.RelativeTimeFormat(i18n.language, { numeric: 'auto', style: 'narrow' });
  return (iso: string | null) => {
    if (!iso) return '';
    const minutes = Math.round((new Date(iso).getTime() - Date.now()) / 60_000);
    if (Math.abs(minutes) < 60) return rtf.format(minutes, 'minute');
    if (Math.abs(minutes) < 60 * 24) return rtf.format(Math.round(minutes / 60), 'hour');
    return rtf.format(Math.round(minutes / 1440), 'day');
  };
}

export function Filters({ filter, onChange, names, knownLabels }: { filter: InboxFilter; onChange: (p: Partial<InboxFilter>) => void; names: Names; knownLabels: string[] }) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={8} style={{ padding: 12, borderBottom: '1px solid #f0f0f0' }}>
      <Segmented<View> block size="small" value={filter.view} onChange={(view) => onChange({ view })}
        options={views.map((v) => ({ value: v, label: <span data-testid={`inbox-view-${v}`}>{t(`inbox.views.${v}`)}</span> }))} />
      <Flex gap={6}>
        <Select size="small" style={{ flex: 1, minWidth: 0 }} value={filter.status} onChange={(status) => onChange({ status })} data-testid="inbox-status-filter"
          options={[...conversationStatuses, 'any' as const].map((s) => ({ value: s, label: <span data-testid={`status-option-${s}`}>{t(`inbox.status.${s}`)}</span> }))} />
        <Select size="small" style={{ flex: 1, minWidth: 0 }} allowClear placeholder={t('inbox.filters.team')} value={filter.teamId} onChange={(teamId) => onChange({ teamId })}
          options={names.teams.map((x) => ({ value: x.id, label: x.name }))} data-testid="inbox-team-filter" />
      </Flex>
      <Flex gap={6}>
        <Select size="small" style={{ flex: 1, minWidth: 0 }} allowClear placeholder={t('inbox.filters.channel')} value={filter.channelId} onChange={(channelId) => onChange({ channelId })}
          options={names.channels.map((c) => ({ value: c.id, label: <span><ChannelIcon channel={c.type} /> {c.name}</span> }))} data-testid="inbox-channel-filter" />
        <Select size="small" style={{ flex: 1, minWidth: 0 }} allowClear showSearch placeholder={t('inbox.filters.label')} value={filter.label} onChange={(label) => onChange({ label })}
          options={knownLabels.map((l) => ({ value: l, label: l }))} data-testid="inbox-label-filter" />
      </Flex>
    </Flex>
  );
}

function Row({ c, active, names, onOpen }: { c: Conversation; active: boolean; names: Names; onOpen: () => void }) {
  const { t } = useTranslation();
  const relative = useRelativeTime();
  const channel = names.channel(c.channelId);
  return (
    <div role="button" tabIndex={-1} onClick={onOpen} data-testid="conversation-row" data-conversation-id={c.id} data-active={active}
      style={{ padding: '10px 12px', cursor: 'pointer', borderBottom: '1px solid #f5f5f5', background: active ? '#e6f4ff' : undefined, borderInlineStart: active ? '3px solid #1677ff' : '3px solid transparent' }}>
      <Flex justify="space-between" gap={8}>
        <Typography.Text strong={c.unreadCount > 0} ellipsis style={{ flex: 1 }}>
          {channel ? <ChannelIcon channel={channel.type} /> : null} {titleOf(c)}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>{relative(c.lastMessageAt ?? c.createdAt)}</Typography.Text>
      </Flex>
      <Flex justify="space-between" gap={8} align="center">
        <Typography.Text type="secondary" ellipsis style={{ flex: 1, fontSize: 13 }} data-testid="conversation-preview">{c.lastMessagePreview ?? ''}</Typography.Text>
        {c.unreadCount > 0 ? <Badge count={c.unreadCount} size="small" data-testid="conversation-unread" /> : null}
      </Flex>
      <Flex gap={4} wrap style={{ marginTop: 2 }}>
        {c.status !== 'open' ? <Tag color={statusColors[c.status]} style={{ fontSize: 11, lineHeight: '16px' }}>{t(`inbox.status.${c.status}`)}</Tag> : null}
        {c.assigneeId ? <Typography.Text type="secondary" style={{ fontSize: 11 }}>{names.member(c.assigneeId)}</Typography.Text> : null}
        {c.labels.map((l) => <Tag key={l} style={{ fontSize: 11, lineHeight: '16px' }}>{l}</Tag>)}
      </Flex>
    </div>
  );
}

export function ConversationList({ items, query, activeId, names, onOpen }: {
  items: Conversation[];
  query: { isPending: boolean; isError: boolean; error: unknown; hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown };
  activeId: string | undefined;
  names: Names;
  onOpen: (id: string) => void;
}) {
  const { t } = useTranslation();
  if (query.isPending) return <Flex justify="center" style={{ padding: 24 }}><Spin /></Flex>;
  if (query.isError) return <div style={{ padding: 12 }}><ErrorAlert error={query.error} /></div>;
  return (
    <div style={{ flex: 1, overflowY: 'auto' }} data-testid="conversation-list">
      {!items.length ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('inbox.emptyList')} style={{ marginTop: 32 }} data-testid="conversation-list-empty" /> : null}
      {items.map((c) => <Row key={c.id} c={c} active={c.id === activeId} names={names} onOpen={() => onOpen(c.id)} />)}
      {query.hasNextPage ? (
        <div style={{ textAlign: 'center', padding: 8 }}>
          <Button size="small" loading={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>{t('inbox.more')}</Button>
        </div>
      ) : null}
    </div>
  );
}

/** Search over message text; results open their conversation. */
export function MessageSearchBox({ onSearch }: { onSearch: (q: string) => void }) {
  const { t } = useTranslation();
  return <Input.Search size="small" allowClear placeholder={t('inbox.search.placeholder')} onSearch={(q) => q.trim() && onSearch(q.trim())} data-testid="inbox-search" />;
}
