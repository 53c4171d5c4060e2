// Contact preferences (src/domains/preferences): top interests and the most active hour per channel.
import { api } from './client';

export interface ContactPreferences {
  contactId: string;
  /** Best first, at most five. */
  interests: Array<{ category: string; score: number; rank: number; computedAt: string }>;
  /** Per channel, busiest first; `hour` is 0–23 in the workspace's time zone. */
  activeHours: Array<{ channel: string; hour: number; hourMessages: number; messages: number; byHour: number[]; computedAt: string }>;
}

export const getContactPreferences = (contactId: string) => api.get<ContactPreferences>(`/contacts/${contactId}/preferences`);
