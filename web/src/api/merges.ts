// Duplicates and merges (docs/api/customers.md, Duplicates and merge).
import { api } from './client';
import type { Contact } from './contacts';

/** Each contact is a summary (id, name, phone, email, company, createdAt); open the profile for the rest. */
export interface DuplicateGroup { key: string; reason: 'phone' | 'email' | 'identity' | 'similar_name' | string; contacts: Array<Pick<Contact, 'id' | 'name' | 'phone' | 'email' | 'company' | 'createdAt'> & { avatarUrl?: string | null }> }
export interface MergeRecord { id: string; mergedIds: string[]; mergedAt: string; mergedBy: { id: string; name: string } | string | null; undoneAt: string | null }

// The contract says { contact, mergeId }; the server answers { contactId, mergeId }. Both are read.
export const mergeContacts = (body: { survivorId: string; mergedIds: string[]; fields?: Record<string, string> }) =>
  api.post<{ contact?: Contact; contactId?: string; mergeId: string }>('/contacts/merge', body)
    .then((r) => ({ mergeId: r.mergeId, contactId: r.contactId ?? r.contact?.id ?? body.survivorId }));
export const listMerges = (contactId: string) => api.get<{ items: MergeRecord[] }>(`/contacts/${contactId}/merges`).then((r) => r.items);
export const undoMerge = (id: string) => api.post<{ contacts?: Contact[]; contactIds?: string[] }>(`/contact-merges/${id}/undo`);
