// Duplicates and merges (docs/api/customers.md, Duplicates and merge).
import { api } from './client';
import type { Contact } from './contacts';

export interface DuplicateGroup { key: string; reason: 'phone' | 'email' | 'identity' | 'similar_name' | string; contacts: Contact[] }
export interface MergeRecord { id: string; mergedIds: string[]; mergedAt: string; mergedBy: { id: string; name: string } | string | null; undoneAt: string | null }

export const mergeContacts = (body: { survivorId: string; mergedIds: string[]; fields?: Record<string, string> }) =>
  api.post<{ contact: Contact; mergeId: string }>('/contacts/merge', body);
export const listMerges = (contactId: string) => api.get<{ items: MergeRecord[] }>(`/contacts/${contactId}/merges`).then((r) => r.items);
export const undoMerge = (id: string) => api.post<{ contacts: Contact[] }>(`/contact-merges/${id}/undo`);
