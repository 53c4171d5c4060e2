// Messages to participants on the campaign's channel: their personal link when they join, their
// progress when an invite counts or is voided, and a reward when it is granted. They go out as
// the inbox's automatic messages (queueAutomaticMessage: the same send job and checks as a reply,
// marked automated), in the participant's latest conversation on the channel, in the workspace's
// language. No conversation, or a channel that cannot write now: nothing is sent.
import type { Config } from '../../config.js';
import { publicUrl } from '../../config.js';
import type { Tx } from '../../platform/db/transaction.js';
import { queueAutomaticMessage } from '../inbox/index.js';
import { conversationOn, workspaceLocale } from './queries/refs.js';

type Lang = 'zh' | 'en';

export type Notice =
  | { kind: 'joined'; link: string }
  | { kind: 'progress'; valid: number; next: { goal: number; rewardName: string } | undefined }
  | { kind: 'voided'; valid: number }
  | { kind: 'granted'; rewardName: string; couponCode: string | null; waiting: boolean };

const copy: Record<Lang, (n: Notice) => string> = {
  zh: (n) => {
    switch (n.kind) {
      case 'joined':
        return `您已参加活动！分享您的专属链接邀请好友：${n.link}\n查看专属海报和进度：${n.link}/page`;
      case 'progress':
        return n.next ? `又有一位好友接受了您的邀请！已邀请 ${n.valid} 人，再邀请 ${n.next.goal - n.valid} 人可得「${n.next.rewardName}」。` : `又有一位好友接受了您的邀请！已邀请 ${n.valid} 人，所有奖励均已达成。`;
      case 'voided':
        return `有一位受邀好友已取消关注，您的有效邀请为 ${n.valid} 人。`;
      case 'granted':
        return n.couponCode ? `恭喜！您获得「${n.rewardName}」，券码：${n.couponCode}` : n.waiting ? `恭喜！您获得「${n.rewardName}」，工作人员会尽快为您发放。` : `恭喜！您获得「${n.rewardName}」，已发放到您的账户。`;
    }
  },
  en: (n) => {
    switch (n.kind) {
      case 'joined':
        return `You have joined! Share your link to invite friends: ${n.link}\nYour poster and progress: ${n.link}/page`;
      case 'progress':
        return n.next ? `Another friend accepted your invitation! ${n.valid} so far; ${n.next.goal - n.valid} more for "${n.next.rewardName}".` : `Another friend accepted your invitation! ${n.valid} so far: every reward reached.`;
      case 'voided':
        return `An invited friend left; your valid invitations: ${n.valid}.`;
      case 'granted':
        return n.couponCode ? `Congratulations! You get "${n.rewardName}": code ${n.couponCode}` : n.waiting ? `Congratulations! You get "${n.rewardName}"; we will send it to you soon.` : `Congratulations! You get "${n.rewardName}"; it is in your account.`;
    }
  },
};

export const personalLink = (config: Config, token: string) => `${publicUrl(config)}/f/${token}`;

/** Queues the notice to the contact on the channel; false when there was nowhere to send it. */
export async function tell(tx: Tx, config: Config, workspaceId: string, to: { contactId: string; channelId: string }, notice: Notice) {
  const conversationId = await conversationOn(tx, workspaceId, to.contactId, to.channelId);
  if (!conversationId) return false;
  const lang: Lang = (await workspaceLocale(tx, workspaceId))?.startsWith('en') ? 'en' : 'zh';
  const sent = await queueAutomaticMessage(tx, config, { workspaceId, target: { conversationId }, text: copy[lang](notice), reason: 'fission' });
  return 'messageId' in sent;
}
