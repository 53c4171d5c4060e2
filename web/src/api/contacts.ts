// The customers contract (docs/api/customers.md): contacts, search, saved views, batch work.
import { api, type Page } from './client';

export type Gender = 'female' | 'male' | 'other' | 'unknown';
export type CustomValue = string | number | boolean | string[];
export type CustomFieldType = 'text' | 'long_text' | 'number' | 'money' | 'date' | 'boolean' | 'url' | 'single_select' | 'multi_select';

export const channelTypes = [
  'wecom', 'wechat_openid', 'wechat_unionid', 'whatsapp', 'telegram', 'line',
  'messenger', 'instagram', 'email', 'phone', 'web_visitor', 'sms',
] as const;
export type ChannelType = (typeof channelTypes)[number];

export interface TagRef { id: string; name: string; color: string | null; groupId: string }
export interface Identity { id: string; channelType: ChannelType; externalId: string; displayName: string | null }
export interface Consent { channelType: ChannelType; status: 'opt_in' | 'opt_out'; at: string; how: string | null }

export interface Contact {
  id: string;
  name: string;
  avatarUrl: string | null;
  gender: Gender | null;
  birthday: string | null;
  phone: string | null;
  email: string | null;
  company: string | null;
  title: string | null;
  city: string | null;
  region: string | null;
  stage: { id: string; name: string; color: string | null } | null;
  owner: { id: string; name: string } | null;
  source: { channel: ChannelType | null; codeId: string | null; referrerContactId: string | null } | null;
  preferredChannel: ChannelType | null;
  influence: number | null;
  custom: Record<string, CustomValue>;
  tags: TagRef[];
  identities?: Identity[];
  consents?: Consent[];
  createdAt: string;
  updatedAt: string;
  lastActiveAt: string | null;
  deletedAt: string | null;
}

export type FieldOp = 'eq' | 'neq' | 'contains' | 'in' | 'gt' | 'gte' | 'lt' | 'lte' | 'between' | 'empty' | 'not_empty' | 'has_any' | 'has_all';
export interface Range { from?: string; to?: string }

export interface ContactFilter {
  q?: string;
  stageIds?: string[];
  ownerIds?: string[];
  teamIds?: string[];
  tags?: { any?: string[]; all?: string[]; none?: string[] };
  sourceChannels?: string[];
  createdAt?: Range;
  lastActiveAt?: Range;
  updatedAt?: Range;
  fields?: Array<{ field: string; op: FieldOp; value?: unknown }>;
  custom?: Array<{ key: string; op: FieldOp; value?: unknown }>;
  ids?: string[];
}

export interface ContactSort { by: string; dir: 'asc' | 'desc' }

/** The writable keys of POST /contacts and PATCH /contacts/:id. */
export interface ContactInput {
  name?: string;
  avatarUrl?: string | null;
  gender?: Gender | null;
  birthday?: string | null;
  phone?: string | null;
  email?: string | null;
  company?: string | null;
  title?: string | null;
  city?: string | null;
  region?: string | null;
  stageId?: string | null;
  ownerId?: string | null;
  sourceChannel?: string | null;
  preferredChannel?: string | null;
  influence?: number | null;
  custom?: Record<string, CustomValue | null>;
  identities?: Array<{ channelType: string; externalId: string; displayName?: string }>;
  tagIds?: string[];
}

export interface SavedView {
  id: string;
  name: string;
  filter: ContactFilter;
  sort: ContactSort | null;
  columns: string[];
  shared: boolean;
  owner?: { id: string; name: string } | null;
  /** True when the caller created it (only they may change it). */
  mine?: boolean;
}

export type BatchAction =
  | { action: 'add_tags' | 'remove_tags'; tagIds: string[] }
  | { action: 'set_stage'; stageId: string }
  | { action: 'assign_owner'; ownerId: string | null }
  | { action: 'delete' | 'restore' };
export type BatchTarget = { ids: string[] } | { filter: ContactFilter };
export type BatchAnswer = { done: true; affected: number } | { jobId: string };

export const contactKey = (id: string) => ['contact', id] as const;

export const searchContacts = (body: { filter: ContactFilter; sort?: ContactSort; cursor?: string | null; limit?: number }) =>
  api.post<Page<Contact>>('/contacts/search', body);
export const countContacts = (filter: ContactFilter) => api.post<{ count: number }>('/contacts/count', { filter });
export const getContact = (id: string) => api.get<{ contact: Contact }>(`/contacts/${id}`).then((r) => r.contact);
export const createContact = (body: ContactInput) => api.post<{ contact: Contact }>('/contacts', body).then((r) => r.contact);
export const updateContact = (id: string, body: ContactInput) => api.patch<{ contact: Contact }>(`/contacts/${id}`, body).then((r) => r.contact);
export const deleteContact = (id: string) => api.delete(`/contacts/${id}`);
export const restoreContact = (id: string) => api.post<{ contact: Contact }>(`/contacts/${id}/restore`).then((r) => r.contact);

export const addIdentity = (id: string, body: { channelType: string; externalId: string; displayName?: string }) =>
  api.post<{ identity: Identity; merged: { contactId: string; mergeId: string } | null }>(`/contacts/${id}/identities`, body);
export const removeIdentity = (id: string, identityId: string) => api.delete(`/contacts/${id}/identities/${identityId}`);
export const setConsent = (id: string, channelType: string, status: 'opt_in' | 'opt_out') =>
  api.put<{ consent: Consent }>(`/contacts/${id}/consents/${channelType}`, { status, how: 'console' });
export const addContactTags = (id: string, tagIds: string[]) => api.post<unknown>(`/contacts/${id}/tags`, { tagIds });
export const removeContactTag = (id: string, tagId: string) => api.delete(`/contacts/${id}/tags/${tagId}`);

export const listViews = () => api.get<{ items: SavedView[] }>('/contact-views').then((r) => r.items);
export const createView = (body: Omit<SavedView, 'id' | 'owner' | 'mine'>) => api.post<{ view: SavedView }>('/contact-views', body);
export const updateView = (id: string, body: Partial<Omit<SavedView, 'id'>>) => api.patch<{ view: SavedView }>(`/contact-views/${id}`, body);
export const deleteView = (id: string) => api.delete(`/contact-views/${id}`);

export const runBatch = (body: BatchAction & { target: BatchTarget }) => api.post<BatchAnswer>('/contacts/batch', body);
export const startExport = (filter: ContactFilter, columns?: string[]) => api.post<{ jobId: string }>('/contacts/export', { filter, columns });
export const exportDownloadUrl = (jobId: string) => `/api/v1/contacts/exports/${jobId}/download`;
