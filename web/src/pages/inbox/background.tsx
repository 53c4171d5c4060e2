// What the inbox does outside its page, for members with inbox:read: keeps the realtime socket
// open (their presence), the nav item's unread badge current, and shows browser notifications
// for new customer messages in conversations of theirs while the tab is hidden.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge } from 'antd';
import { useNavigate } from 'react-router';
import { getConversation, getUnread, inboxKeys, type Unread } from '../../api/inbox';
import { useLiveEvents } from '../../api/inbox-live';
import { useCan } from '../../auth/session';
import { concernsMe, showMessageNotification } from './notify';
import { titleOf, useMe } from './use-inbox';

const useUnread = (enabled: boolean) => useQuery({ queryKey: inboxKeys.unread, queryFn: getUnread, enabled, refetchInterval: 120_000, retry: false });

export function InboxBackground() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const me = useMe();
  useUnread(true);
  useLiveEvents((event) => {
    const { data } = event;
    if (event.type === 'conversation.read' && data.unread) {
      queryClient.setQueryData<Unread>(inboxKeys.unread, data.unread as Unread);
      return;
    }
    if (event.type === 'resync' || event.type === 'conversation.assigned' || event.type === 'conversation.removed') {
      void queryClient.invalidateQueries({ queryKey: inboxKeys.unread });
      return;
    }
    if (event.type === 'notification.created') {
      void queryClient.invalidateQueries({ queryKey: ['notifications'] });
      return;
    }
    if (event.type !== 'message.created' || data.direction !== 'in') return;
    void queryClient.invalidateQueries({ queryKey: inboxKeys.unread });
    const id = String(data.conversationId);
    if (!document.hidden) return;
    void getConversation(id)
      .then((c) => {
        if (concernsMe(c, me)) showMessageNotification(titleOf(c), String(data.preview ?? ''), () => void navigate(`/inbox/${id}`));
      })
      .catch(() => undefined);
  });
  return null;
}

/** The unread conversations beside the nav item. */
export function InboxUnreadBadge() {
  const can = useCan();
  const unread = useUnread(can('inbox:read'));
  const count = unread.data?.conversations ?? 0;
  return count ? <Badge count={count} size="small" overflowCount={99} style={{ marginInlineStart: 8 }} data-testid="inbox-unread-badge" /> : null;
}
