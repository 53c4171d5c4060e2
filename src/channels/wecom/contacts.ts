// What a customer-contact event means for the contact (adapter.relationFacts): the customer's
// profile from externalcontact/get (doc 92114: name, avatar, corp, unionid → a wechat_unionid
// identity), the member on our side (UserID, mapped to a Renmai member by the channel's `staff`
// setting) and since when (follow_user[].createtime), and who ended a removed relation.
import { z } from 'zod';
import { ChannelError, type RelationFacts } from '../adapter.js';
import { getExternalContact, type WecomApiContext } from './api.js';

const stored = z.object({
  kind: z.string(),
  sender: z.object({ externalId: z.string() }),
  wecom: z.object({ changeType: z.string(), staffUserId: z.string().optional(), removedBy: z.enum(['contact', 'staff']).optional() }).optional(),
});

const profile = z.object({
  external_contact: z.object({
    name: z.string().optional(),
    avatar: z.string().optional(),
    corp_name: z.string().optional(),
    corp_full_name: z.string().optional(),
    unionid: z.string().optional(),
  }),
  follow_user: z.array(z.object({ userid: z.string(), createtime: z.number().optional(), state: z.string().optional() })).default([]),
});

/** What the channel's settings say: WeCom userid → Renmai member id, and the churn tag. */
export interface RelationSettings {
  staff: ReadonlyArray<{ userId: string; memberId: string }>;
  churnTagId?: string;
}

export async function relationFactsOf(event: Readonly<Record<string, unknown>>, settings: RelationSettings, api: WecomApiContext): Promise<RelationFacts> {
  const e = stored.safeParse(event);
  // A member's follow of the app, or an event of an older shape: nothing more to tell.
  if (!e.success || !e.data.wecom) return {};
  const { staffUserId, removedBy } = e.data.wecom;
  const memberId = staffUserId ? settings.staff.find((s) => s.userId === staffUserId)?.memberId : undefined;
  const staff = staffUserId ? { externalId: staffUserId, ...(memberId ? { memberId } : {}) } : undefined;
  if (e.data.kind === 'friend_removed') {
    const churn = removedBy === 'contact' && settings.churnTagId ? { tagIds: [settings.churnTagId] } : {};
    return { ...(staff ? { staff } : {}), ...(removedBy ? { endedBy: removedBy } : {}), ...churn };
  }
  if (e.data.kind !== 'friend_added') return {};
  let fetched: unknown;
  try {
    fetched = await getExternalContact(api, e.data.sender.externalId);
  } catch (error) {
    // No profile to be had (no permission, not a contact any more): the relationship stands without it.
    if (error instanceof ChannelError && !error.retryable) return staff ? { staff } : {};
    throw error;
  }
  const answer = profile.safeParse(fetched);
  if (!answer.success) return staff ? { staff } : {};
  const c = answer.data.external_contact;
  const follow = answer.data.follow_user.find((f) => f.userid === staffUserId);
  return {
    profile: {
      ...(c.name ? { displayName: c.name } : {}),
      ...(c.avatar ? { avatarUrl: c.avatar } : {}),
      ...(c.corp_full_name || c.corp_name ? { company: c.corp_full_name || c.corp_name } : {}),
      ...(c.unionid ? { identities: [{ channelType: 'wechat_unionid', externalId: c.unionid }] } : {}),
    },
    ...(staff ? { staff: { ...staff, ...(follow?.createtime ? { since: new Date(follow.createtime * 1000) } : {}) } } : {}),
  };
}
