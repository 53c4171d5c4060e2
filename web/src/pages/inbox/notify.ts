// Browser notifications for the inbox: asked for on a click (browsers refuse a prompt without a
// user gesture), shown only while the tab is hidden — a visible inbox updates by itself.
import type { Conversation } from '../../api/inbox';

export const notificationsSupported = () => typeof window !== 'undefined' && 'Notification' in window;

export const notificationPermission = (): NotificationPermission | 'unsupported' => (notificationsSupported() ? Notification.permission : 'unsupported');

export async function askNotificationPermission(): Promise<NotificationPermission | 'unsupported'> {
  if (!notificationsSupported()) return 'unsupported';
  return Notification.requestPermission();
}

/** Mine, or nobody's yet in one of my teams (or in no team: the whole workspace's). */
export const concernsMe = (c: Pick<Conversation, 'assigneeId' | 'teamId'>, me: { memberId: string; teamIds: string[] }) =>
  c.assigneeId === me.memberId || (c.assigneeId === null && (c.teamId === null || me.teamIds.includes(c.teamId)));

export function showMessageNotification(title: string, body: string, onClick: () => void) {
  if (!notificationsSupported() || Notification.permission !== 'granted' || !document.hidden) return;
  // One notification per conversation: a newer message replaces the older one.
  const n = new Notification(title, { body, tag: title });
  n.onclick = () => {
    window.focus();
    onClick();
    n.close();
  };
}
