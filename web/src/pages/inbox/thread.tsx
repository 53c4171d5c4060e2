// The open conversation: who and where, its actions, the messages (newest at the bottom, older
// ones on request), who else is typing, and the composer. Opening it (or a new message arriving
// while it is on screen) marks it read.
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Empty, Flex, Result, Spin, Tag, Typography } from 'antd';
import { useEffect, useLayoutEffect, useMemo, useRef, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { getConversation, inboxKeys, listMessages, listParticipants, markConversationRead, type Message } from '../../api/inbox';
import { useCan } from '../../auth/session';
import { ChannelIcon } from '../../components/channel';
import { ErrorAlert } from '../../components/errors';
import { useFormatDate } from '../../components/format';
import { ConversationActionBar, type ConversationActions } from './actions';
import { Composer, type ComposerHandle } from './composer';
import { MessageItem } from './message-item';
import { titleOf, type Names } from './use-inbox';
import { CUSTOMER } from './use-live-sync';

export const statusColors: Record<string, string> = { open: 'blue', pending: 'orange', snoozed: 'purple', resolved: 'green' };

export const useConversation = (id: string | undefined) =>
  useQuery({ queryKey: inboxKeys.conversation(id ?? ''), queryFn: () => getConversation(id!), enabled: Boolean(id), retry: (n, e) => !(isApiError(e) && e.status === 404) && n < 2 });

function useMarkRead(id: string, unread: number | undefined) {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!unread) return;
    const mark = () => {
      if (document.hidden) return;
      void markConversationRead(id).then((c) => {
        queryClient.setQueryData(inboxKeys.conversation(id), c);
        void queryClient.invalidateQueries({ queryKey: inboxKeys.lists });
      }).catch(() => undefined);
    };
    mark();
    // A message that came while the tab was hidden is read when the agent comes back.
    document.addEventListener('visibilitychange', mark);
    return () => document.removeEventListener('visibilitychange', mark);
  }, [id, unread, queryClient]);
}

/** Who wrote each message of a group (none for a one-to-one conversation); read again when someone new writes. */
function useSenders(id: string, group: boolean, messages: Message[]) {
  const participants = useQuery({ queryKey: inboxKeys.participants(id), queryFn: () => listParticipants(id), enabled: group });
  const senders = useMemo(() => new Map((participants.data?.items ?? []).map((p) => [p.contactId, p.name])), [participants.data]);
  const unknown = group && participants.isSuccess ? [...new Set(messages.map((m) => m.senderContactId).filter((s): s is string => Boolean(s) && !senders.has(s!)))].join() : '';
  const { refetch } = participants;
  useEffect(() => {
    if (unknown) void refetch();
  }, [unknown, refetch]);
  return senders;
}

function Messages({ id, names, group }: { id: string; names: Names; group: boolean }) {
  const { t } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const query = useInfiniteQuery({
    queryKey: inboxKeys.messages(id),
    queryFn: ({ pageParam }) => listMessages(id, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  // Pages come newest first; the thread reads oldest first.
  const messages = useMemo(() => (query.data?.pages.flatMap((p) => p.items) ?? []).slice().reverse(), [query.data]);
  const senders = useSenders(id, group, messages);
  const newest = messages[messages.length - 1]?.id;
  const loadingOlder = useRef(false);
  useLayoutEffect(() => {
    // Stay at the bottom when a message arrives, not when older ones are loaded above.
    if (loadingOlder.current) return;
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [newest]);
  useEffect(() => {
    if (!query.isFetchingNextPage) loadingOlder.current = false;
  }, [query.isFetchingNextPage]);

  if (query.isPending) return <Flex flex={1} justify="center" align="center"><Spin /></Flex>;
  if (query.isError) return <div style={{ padding: 16 }}><ErrorAlert error={query.error} /></div>;
  return (
    <div ref={scroller} style={{ flex: 1, overflowY: 'auto', padding: 16, display: 'flex', flexDirection: 'column', gap: 10 }} data-testid="thread-messages">
      {query.hasNextPage ? (
        <Button size="small" type="link" loading={query.isFetchingNextPage} onClick={() => { loadingOlder.current = true; void query.fetchNextPage(); }} style={{ alignSelf: 'center' }}>
          {t('inbox.olderMessages')}
        </Button>
      ) : null}
      {!messages.length ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('inbox.noMessages')} /> : null}
      {messages.map((m) => <MessageItem key={m.id} message={m} names={names} sender={group && m.senderContactId ? senders.get(m.senderContactId) ?? '' : undefined} />)}
    </div>
  );
}

export function Thread({ id, names, meId, typing, composer, actions }: {
  id: string;
  names: Names;
  meId: string;
  /** A member id, or CUSTOMER. */
  typing: string | undefined;
  composer: Ref<ComposerHandle>;
  actions: ConversationActions;
}) {
  const { t } = useTranslation();
  const can = useCan();
  const formatDate = useFormatDate();
  const conversation = useConversation(id);
  useMarkRead(id, conversation.data?.unreadCount);

  if (conversation.isPending) return <Flex flex={1} justify="center" align="center"><Spin /></Flex>;
  if (conversation.isError) {
    return isApiError(conversation.error) && conversation.error.status === 404
      ? <Result status="404" title={t('inbox.notFound')} />
      : <div style={{ padding: 16 }}><ErrorAlert error={conversation.error} /></div>;
  }
  const c = conversation.data;
  const channel = names.channel(c.channelId);
  return (
    <Flex vertical style={{ flex: 1, minWidth: 0, minHeight: 0 }} data-testid="thread" data-conversation-id={c.id} data-status={c.status}>
      <div style={{ padding: '10px 16px', borderBottom: '1px solid #f0f0f0' }}>
        <Flex justify="space-between" align="center" wrap gap={8}>
          <div style={{ minWidth: 0 }}>
            <Typography.Title level={5} style={{ margin: 0 }} ellipsis data-testid="thread-title">{titleOf(c)}</Typography.Title>
            <Flex gap={6} align="center" wrap style={{ fontSize: 12 }}>
              {channel ? <Typography.Text type="secondary"><ChannelIcon channel={channel.type} /> {channel.name}</Typography.Text> : null}
              <Tag color={statusColors[c.status]} style={{ marginInlineEnd: 0 }} data-testid="thread-status">{t(`inbox.status.${c.status}`)}</Tag>
              {c.status === 'snoozed' && c.snoozedUntil ? <Typography.Text type="secondary">{t('inbox.snoozedUntil', { time: formatDate(c.snoozedUntil) })}</Typography.Text> : null}
              <Typography.Text type="secondary" data-testid="thread-assignee" data-assignee={c.assigneeId === meId ? 'me' : c.assigneeId ?? 'none'}>
                {c.assigneeId ? t('inbox.assignedTo', { name: c.assigneeId === meId ? t('inbox.me') : names.member(c.assigneeId) }) : t('inbox.unassigned')}
              </Typography.Text>
              {c.teamId ? <Typography.Text type="secondary">· {names.team(c.teamId)}</Typography.Text> : null}
            </Flex>
          </div>
          {can('inbox:write') ? <ConversationActionBar conversation={c} names={names} actions={actions} meId={meId} /> : null}
        </Flex>
      </div>
      <Messages id={c.id} names={names} group={c.kind === 'group'} />
      <div style={{ minHeight: 20, paddingInline: 16, fontSize: 12, color: '#8c8c8c' }} data-testid="typing">
        {typing ? t('inbox.typing', { name: typing === CUSTOMER ? titleOf(c) : names.member(typing) }) : null}
      </div>
      {can('inbox:write') ? <Composer conversation={c} names={names} handle={composer} /> : null}
    </Flex>
  );
}
