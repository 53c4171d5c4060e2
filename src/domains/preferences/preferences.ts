// A contact's stored preferences: top interest categories and, per channel, the hour of day they
// are most active (24 counts included, for choosing when to send).
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { requireVisibleContact } from '../contacts/index.js';
import * as store from './store.js';

const hours = (histogram: Record<string, number>) => Array.from({ length: 24 }, (_, h) => histogram[String(h)] ?? 0);

export async function getContactPreferences(db: Db, actor: Actor, contactId: string) {
  requireAccess(actor, 'contacts:read');
  await requireVisibleContact(db, actor, contactId);
  const [interests, active] = [await store.interestsOf(db, actor.workspaceId, contactId), await store.activeHoursOf(db, actor.workspaceId, contactId)];
  return {
    contactId,
    interests: interests.map((i) => ({ category: i.category, score: Math.round(i.score * 1000) / 1000, rank: i.rank, computedAt: i.computed_at })),
    activeHours: active.map((a) => ({
      channel: a.channel,
      hour: a.hour,
      hourMessages: a.hour_messages,
      messages: a.messages,
      byHour: hours(a.histogram),
      computedAt: a.computed_at,
    })),
  };
}
