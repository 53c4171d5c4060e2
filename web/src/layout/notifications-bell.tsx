import { BellOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Card, Drawer, Dropdown, Empty, Grid, List, Spin, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { getUnreadCount, listNotifications, markAllRead, markRead, unreadCountKey, type Notification } from '../api/activity';
import { useFormatDate } from '../components/format';

/** The header bell: unread count polled every 30 s, the latest notifications on click. */
export function NotificationsBell() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const formatDate = useFormatDate();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  // A phone has no room for a dropdown under the bell: the list opens as a full-width drawer.
  const mobile = Grid.useBreakpoint().md === false;
  const unread = useQuery({ queryKey: unreadCountKey, queryFn: getUnreadCount, refetchInterval: 30_000, retry: false });
  const list = useQuery({ queryKey: ['notifications', 'list'], queryFn: listNotifications, enabled: open });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['notifications'] });
  const read = useMutation({ mutationFn: markRead, onSuccess: refresh });
  const readAll = useMutation({ mutationFn: markAllRead, onSuccess: refresh });

  const onItem = (n: Notification) => {
    if (!n.readAt) read.mutate(n.id);
    setOpen(false);
    if (n.link) void navigate(n.link);
  };
  const panel = (
    <Card size="small" variant={mobile ? 'borderless' : 'outlined'} style={{ width: mobile ? '100%' : 340 }} data-testid="notifications-panel"
      title={t('notifications.title')}
      extra={<Button type="link" size="small" disabled={!unread.data} loading={readAll.isPending} onClick={() => readAll.mutate()}>{t('notifications.readAll')}</Button>}
      styles={{ body: { padding: 0, maxHeight: 400, overflowY: 'auto' } }}>
      {list.isPending ? <div style={{ padding: 24, textAlign: 'center' }}><Spin /></div> : null}
      {list.data && !list.data.length ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.empty')} /> : null}
      {list.isError ? <Typography.Paragraph type="secondary" style={{ padding: 16 }}>{t('errors.unavailable')}</Typography.Paragraph> : null}
      <List size="small" dataSource={list.data ?? []} renderItem={(n) => (
        <List.Item onClick={() => onItem(n)} style={{ cursor: 'pointer', paddingInline: 12, background: n.readAt ? undefined : '#f0f7ff' }}>
          <List.Item.Meta title={<span style={{ fontWeight: n.readAt ? 400 : 600 }}>{n.title}</span>}
            description={<><div>{n.body}</div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatDate(n.createdAt)}</Typography.Text></>} />
        </List.Item>
      )} />
      <div style={{ textAlign: 'center', padding: 8, borderTop: '1px solid #f0f0f0' }}>
        <Button type="link" size="small" onClick={() => { setOpen(false); void navigate('/tasks'); }}>{t('notifications.myTasks')}</Button>
      </div>
    </Card>
  );

  const bell = (
    <Button type="text" aria-label={t('notifications.title')} data-testid="notifications-bell" onClick={mobile ? () => setOpen(true) : undefined}>
      <Badge count={unread.data ?? 0} size="small" overflowCount={99}><BellOutlined style={{ fontSize: 18 }} /></Badge>
    </Button>
  );
  if (mobile) {
    return (
      <>
        {bell}
        <Drawer open={open} onClose={() => setOpen(false)} placement="top" size="auto" closable={false} styles={{ body: { padding: 0 } }}>{panel}</Drawer>
      </>
    );
  }
  return <Dropdown trigger={['click']} open={open} onOpenChange={setOpen} popupRender={() => panel} placement="bottomRight">{bell}</Dropdown>;
}
