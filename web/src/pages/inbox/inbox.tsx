// The inbox: conversation list, the open thread and the customer beside it, kept current by the
// realtime socket. /inbox/:id opens a conversation; the list's filter is in the query string.
import { ApiOutlined, ArrowLeftOutlined, BellOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import { Button, Empty, Flex, Grid, Result, Spin, Tooltip, Typography } from 'antd';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useCan } from '../../auth/session';
import { ErrorAlert } from '../../components/errors';
import { useConversationActions } from './actions';
import type { ComposerHandle } from './composer';
import { ContactPanel } from './contact-panel';
import { ConversationList, Filters, MessageSearchBox } from './conversation-list';
import { askNotificationPermission, notificationPermission } from './notify';
import { PresenceSwitch } from './presence-switch';
import { SearchResults } from './search-results';
import { ShortcutHelp, useShortcuts } from './shortcuts';
import { Thread, useConversation } from './thread';
import { useConversationList, useInboxChannels, useInboxFilter, useMe, useNames } from './use-inbox';
import { useInboxLiveSync } from './use-live-sync';

const PANE_HEIGHT = 'calc(100vh - 56px - 48px)';

function NotificationsButton() {
  const { t } = useTranslation();
  const [permission, setPermission] = useState(notificationPermission);
  if (permission !== 'default') return null;
  return (
    <Tooltip title={t('inbox.notifications.enable')}>
      <Button size="small" type="text" icon={<BellOutlined />} aria-label={t('inbox.notifications.enable')} data-testid="enable-notifications"
        onClick={() => void askNotificationPermission().then(setPermission)} />
    </Tooltip>
  );
}

function NoChannel() {
  const { t } = useTranslation();
  const can = useCan();
  return (
    <Result icon={<ApiOutlined />} title={t('inbox.noChannel.title')} subTitle={can('channels:manage') ? t('inbox.noChannel.hint') : t('inbox.noChannel.askAdmin')} data-testid="inbox-no-channel"
      extra={can('channels:manage') ? <Link to="/settings/channels"><Button type="primary">{t('inbox.noChannel.action')}</Button></Link> : null} />
  );
}

export default function InboxPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const can = useCan();
  const me = useMe();
  const screens = Grid.useBreakpoint();
  const [filter, setFilter] = useInboxFilter();
  const names = useNames();
  const channels = useInboxChannels();
  const { query, items } = useConversationList(filter);
  const live = useInboxLiveSync(id, me.memberId);
  const composer = useRef<ComposerHandle>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const [searchQ, setSearchQ] = useState<string | null>(null);
  const open = useConversation(id);
  const actions = useConversationActions(open.data);
  const knownLabels = useMemo(() => [...new Set(items.flatMap((c) => c.labels))].sort(), [items]);

  const go = (conversationId: string) => void navigate({ pathname: `/inbox/${conversationId}`, search: params.toString() });
  const step = (delta: number) => {
    if (!items.length) return;
    const at = items.findIndex((c) => c.id === id);
    const next = at < 0 ? 0 : Math.min(items.length - 1, Math.max(0, at + delta));
    go(items[next]!.id);
  };
  const writable = can('inbox:write') && Boolean(open.data);
  useShortcuts({
    j: () => step(1),
    k: () => step(-1),
    r: () => writable && composer.current?.focus('reply'),
    n: () => writable && composer.current?.focus('note'),
    '/': () => writable && composer.current?.openCanned(),
    e: () => writable && open.data?.status !== 'resolved' && actions.status.mutate({ status: 'resolved' }),
    a: () => writable && open.data?.assigneeId !== me.memberId && actions.assignee.mutate(me.memberId),
    '?': () => setHelpOpen(true),
  });

  if (channels.isPending) return <Flex justify="center" style={{ padding: 48 }}><Spin /></Flex>;
  if (channels.isError) return <ErrorAlert error={channels.error} />;
  if (!channels.data.length) return <NoChannel />;

  const narrow = screens.md === false;
  const showList = !narrow || !id;
  const showThread = !narrow || Boolean(id);
  const showPanel = Boolean(screens.xl) && open.data;

  return (
    <div style={{ display: 'flex', height: PANE_HEIGHT, minHeight: 420, background: '#fff', border: '1px solid #f0f0f0', borderRadius: 8, overflow: 'hidden' }} data-testid="inbox">
      {showList ? (
        <Flex vertical style={{ width: narrow ? '100%' : 320, flexShrink: 0, borderInlineEnd: '1px solid #f0f0f0', minHeight: 0 }}>
          <Flex align="center" justify="space-between" gap={8} style={{ padding: '10px 12px 0' }}>
            <Typography.Title level={5} style={{ margin: 0 }}>{t('nav.inbox')}</Typography.Title>
            <Flex gap={4} align="center">
              <NotificationsButton />
              <Tooltip title={t('inbox.shortcuts.title')}>
                <Button size="small" type="text" icon={<QuestionCircleOutlined />} onClick={() => setHelpOpen(true)} aria-label={t('inbox.shortcuts.title')} />
              </Tooltip>
              {can('inbox:write') ? <PresenceSwitch meId={me.memberId} /> : null}
            </Flex>
          </Flex>
          <div style={{ padding: '8px 12px 0' }}><MessageSearchBox onSearch={setSearchQ} /></div>
          <Filters filter={filter} onChange={setFilter} names={names} knownLabels={knownLabels} />
          <ConversationList items={items} query={query} activeId={id} names={names} onOpen={go} />
        </Flex>
      ) : null}
      {showThread ? (
        <Flex vertical style={{ flex: 1, minWidth: 0, minHeight: 0 }}>
          {narrow && id ? (
            <div style={{ padding: '6px 12px', borderBottom: '1px solid #f0f0f0' }}>
              <Button size="small" type="link" icon={<ArrowLeftOutlined />} onClick={() => void navigate({ pathname: '/inbox', search: params.toString() })}>{t('nav.inbox')}</Button>
            </div>
          ) : null}
          {id ? (
            <Thread id={id} names={names} meId={me.memberId} typing={live.typingIn(id)?.who} composer={composer} actions={actions} />
          ) : (
            <Flex flex={1} justify="center" align="center">
              <Empty description={<>{t('inbox.pick')}<br /><Typography.Text type="secondary">{t('inbox.shortcutsHint')}</Typography.Text></>} />
            </Flex>
          )}
        </Flex>
      ) : null}
      {showPanel ? <ContactPanel conversation={open.data} knownLabels={knownLabels} /> : null}
      <ShortcutHelp open={helpOpen} onClose={() => setHelpOpen(false)} />
      <SearchResults q={searchQ} onClose={() => setSearchQ(null)} onOpen={(cid) => { setSearchQ(null); go(cid); }} />
    </div>
  );
}
