import {
  CalendarOutlined, DeleteOutlined, EditOutlined, EnvironmentOutlined, FileTextOutlined, MailOutlined, MergeCellsOutlined, MessageOutlined,
  PhoneOutlined, PlusCircleOutlined, QrcodeOutlined, RiseOutlined, SafetyOutlined, ShoppingOutlined, SwapOutlined, TagsOutlined, ThunderboltOutlined, UndoOutlined, UploadOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Select, Timeline, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { timelineTypes, type TimelineEvent } from '../../api/activity';
import { api, type Page } from '../../api/client';
import { ErrorAlert } from '../../components/errors';
import { useFormatDate } from '../../components/format';

const icons: Record<string, ReactNode> = {
  note: <FileTextOutlined />, call: <PhoneOutlined />, visit: <EnvironmentOutlined />, meeting: <CalendarOutlined />, email: <MailOutlined />,
  message: <MessageOutlined />, stage_changed: <SwapOutlined />, tags_added: <TagsOutlined />, tags_removed: <TagsOutlined />,
  owner_changed: <UserSwitchOutlined />, code_scan: <QrcodeOutlined />, form_submission: <EditOutlined />, order: <ShoppingOutlined />,
  merged: <MergeCellsOutlined />, created: <PlusCircleOutlined />, imported: <UploadOutlined />, deleted: <DeleteOutlined />, restored: <UndoOutlined />,
  rfm_layer_changed: <RiseOutlined />, tag_rule_applied: <ThunderboltOutlined />, consent_changed: <SafetyOutlined />,
};

const nameOf = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : v && typeof v === 'object' && 'name' in v && typeof v.name === 'string' ? v.name : undefined;

/** A short sentence for the event's details; unknown props show as "key: value". */
function Details({ event }: { event: TimelineEvent }) {
  const { t } = useTranslation();
  const p = event.props ?? {};
  const parts: string[] = [];
  if (event.type === 'call') {
    if (p.direction) parts.push(t(`profile360.directions.${String(p.direction)}`, { defaultValue: String(p.direction) }));
    if (typeof p.durationSeconds === 'number') parts.push(t('profile360.duration', { minutes: Math.round(p.durationSeconds / 60) }));
    if (p.outcome) parts.push(String(p.outcome));
  }
  if (event.type === 'visit' && p.location) parts.push(String(p.location));
  if (event.type === 'consent_changed') parts.push(`${t(`channels.${String(p.channel)}`, { defaultValue: String(p.channel) })}: ${t(`profile360.consents.${String(p.status)}`)}`, String(p.how ?? ''));
  // A display name (fromName) wins over a key (an RFM layer's `from` is its key).
  const from = nameOf(p.fromName) ?? nameOf(p.from); const to = nameOf(p.toName) ?? nameOf(p.to);
  if (from || to) parts.push(`${from ?? '—'} → ${to ?? '—'}`);
  if (Array.isArray(p.tags)) parts.push(p.tags.map((x) => nameOf(x) ?? '').filter(Boolean).join('、'));
  const body = typeof p.body === 'string' ? p.body : undefined;
  const known = new Set(['body', 'direction', 'durationSeconds', 'outcome', 'location', 'from', 'to', 'fromName', 'toName', 'tags', 'fromId', 'toId', 'tagIds', ...(event.type === 'consent_changed' ? ['channel', 'status', 'previousStatus', 'how'] : [])]);
  // Ids (mergeId, stageId…) mean nothing to a reader; other simple props are shown as they are.
  const rest = Object.entries(p).filter(([k, v]) => !known.has(k) && !/Ids?$/.test(k) && v !== null && v !== undefined && typeof v !== 'object');
  return (
    <>
      {parts.length ? <div>{parts.join(' · ')}</div> : null}
      {body ? <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }} data-testid="timeline-body">{body}</Typography.Paragraph> : null}
      {rest.length ? <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{rest.map(([k, v]) => `${k}: ${String(v)}`).join(' · ')}</Typography.Text></div> : null}
    </>
  );
}

/** Everything that happened with this contact, newest first, filterable by type. */
export function ContactTimeline({ contactId }: { contactId: string }) {
  const { t } = useTranslation();
  const formatDate = useFormatDate();
  const [types, setTypes] = useState<string[]>([]);
  const list = useInfiniteQuery({
    queryKey: ['timeline', contactId, types],
    queryFn: ({ pageParam }) => api.get<Page<TimelineEvent>>(`/contacts/${contactId}/timeline`, { types: types.join(',') || undefined, cursor: pageParam, limit: 20 }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Card title={t('profile360.timeline')} size="small" data-testid="timeline"
      extra={<Select mode="multiple" allowClear size="small" maxTagCount="responsive" style={{ minWidth: 150, maxWidth: 260 }} placeholder={t('profile360.allTypes')}
        value={types} onChange={setTypes} options={timelineTypes.map((type) => ({ value: type, label: t(`profile360.types.${type}`) }))} />}>
      <ErrorAlert error={list.error} />
      {!list.isPending && !items.length && !list.isError ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('profile360.noEvents')} /> : null}
      <Timeline style={{ marginTop: 8 }} items={items.map((e) => ({
        key: e.id,
        icon: icons[e.type],
        content: (
          <div data-testid="timeline-item" data-type={e.type}>
            <Typography.Text strong>{t(`profile360.types.${e.type}`, { defaultValue: e.type })}</Typography.Text>
            <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 8 }}>{formatDate(e.occurredAt)}{e.actor ? ` · ${e.actor.name}` : ''}</Typography.Text>
            <Details event={e} />
          </div>
        ),
      }))} />
      {list.hasNextPage ? (
        <div style={{ textAlign: 'center' }}><Button onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>{t('common.loadMore')}</Button></div>
      ) : null}
    </Card>
  );
}
