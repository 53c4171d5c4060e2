// Automatic replies (src/domains/autoreplies/routes.ts): keyword rules, business hours, channel
// settings (welcome message, survey), canned responses and the CSAT report.
import { api, fetchAll, type Page } from '../../api/client';

export type MatchKind = 'exact' | 'contains' | 'regex';
export interface KeywordRule {
  id: string;
  channelId: string;
  position: number;
  matchKind: MatchKind;
  pattern: string;
  caseSensitive: boolean;
  reply: string;
  enabled: boolean;
}
export type RuleInput = Omit<KeywordRule, 'id'>;

export interface Interval { day: number; open: string; close: string }
export interface BusinessHours {
  teamId: string;
  timezone: string;
  weekly: Interval[];
  closedDates: string[];
  awayMessage: string;
  enabled: boolean;
  openNow: boolean;
}
export type HoursInput = Omit<BusinessHours, 'teamId' | 'openNow'>;

export interface ChannelSettings { channelId: string; welcomeMessage: string | null; csatEnabled: boolean }

export interface CannedResponse { id: string; shortcut: string; title: string; body: string; scope: 'workspace' | 'personal' }
export type CannedInput = Omit<CannedResponse, 'id'>;

interface Figures { sent: number; answered: number; responseRate: number | null; average: number | null }
export interface CsatReport extends Figures {
  from: string;
  to: string;
  distribution: Record<'1' | '2' | '3' | '4' | '5', number>;
  byAgent: Array<Figures & { memberId: string | null; name: string | null }>;
  byTeam: Array<Figures & { teamId: string | null; name: string | null }>;
  comments: Page<{ surveyId: string; conversationId: string; memberId: string | null; memberName: string | null; rating: number; comment: string; answeredAt: string }>;
}

export const autorepliesKey = ['autoreplies'] as const;

export const listRules = () => fetchAll<KeywordRule>('/inbox/keyword-rules');
export const createRule = (body: RuleInput) => api.post<{ rule: KeywordRule }>('/inbox/keyword-rules', body);
export const updateRule = (id: string, body: Partial<Omit<RuleInput, 'channelId'>>) => api.patch<{ rule: KeywordRule }>(`/inbox/keyword-rules/${id}`, body);
export const deleteRule = (id: string) => api.delete(`/inbox/keyword-rules/${id}`);

export const listHours = () => api.get<Page<BusinessHours>>('/inbox/business-hours').then((p) => p.items);
export const setHours = (teamId: string, body: HoursInput) => api.put<{ hours: BusinessHours }>(`/inbox/business-hours/${teamId}`, body);
export const deleteHours = (teamId: string) => api.delete(`/inbox/business-hours/${teamId}`);

export const listChannelSettings = () => api.get<Page<ChannelSettings>>('/inbox/channel-settings').then((p) => p.items);
export const setChannelSettings = (channelId: string, body: Omit<ChannelSettings, 'channelId'>) => api.put<{ settings: ChannelSettings }>(`/inbox/channel-settings/${channelId}`, body);

export const listCanned = (q: string, cursor: string | null) => api.get<Page<CannedResponse>>('/inbox/canned-responses', { q, cursor, limit: 20 });
export const createCanned = (body: CannedInput) => api.post<{ cannedResponse: CannedResponse }>('/inbox/canned-responses', body);
export const updateCanned = (id: string, body: Omit<CannedInput, 'scope'>) => api.patch<{ cannedResponse: CannedResponse }>(`/inbox/canned-responses/${id}`, body);
export const deleteCanned = (id: string) => api.delete(`/inbox/canned-responses/${id}`);

export const getReport = (q: { from?: string; to?: string; teamId?: string; memberId?: string; cursor?: string | null }) => api.get<CsatReport>('/inbox/csat/report', q);

/** The variables a canned response may use (src/domains/autoreplies/template.ts). */
export const templateVariables = ['contact.name', 'contact.first_name', 'contact.company', 'contact.email', 'contact.phone', 'contact.title', 'contact.city', 'agent.name', 'agent.email', 'channel.name', 'workspace.name'];
