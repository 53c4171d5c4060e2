// Timeline, tasks and notifications around a contact.
import { api } from './client';

export const timelineTypes = [
  'note', 'call', 'visit', 'meeting', 'email', 'message', 'stage_changed', 'tags_added', 'tags_removed',
  'owner_changed', 'code_scan', 'form_submission', 'order', 'merged', 'created', 'imported', 'rfm_layer_changed', 'tag_rule_applied', 'consent_changed',
] as const;
export type TimelineType = (typeof timelineTypes)[number];

export interface TimelineEvent {
  id: string;
  type: TimelineType | string;
  occurredAt: string;
  actor: { id: string; name: string } | null;
  props: Record<string, unknown>;
}

export interface Task {
  id: string;
  title: string;
  notes: string | null;
  dueAt: string | null;
  remindAt: string | null;
  status: 'open' | 'done';
  contactId: string | null;
  contact?: { id: string; name: string } | null;
  assignee?: { id: string; name: string } | null;
  assigneeId?: string | null;
  createdAt: string;
}

export interface Notification {
  id: string;
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
  readAt: string | null;
  createdAt: string;
}

export const addNote = (id: string, body: { body: string }) => api.post<{ event: TimelineEvent }>(`/contacts/${id}/notes`, body);
export const logCall = (id: string, body: { body?: string; direction: 'in' | 'out'; durationSeconds?: number; outcome?: string; occurredAt?: string }) =>
  api.post<{ event: TimelineEvent }>(`/contacts/${id}/calls`, body);
export const logVisit = (id: string, body: { body?: string; location?: string; occurredAt?: string }) =>
  api.post<{ event: TimelineEvent }>(`/contacts/${id}/visits`, body);
export const deleteEvent = (id: string) => api.delete(`/timeline/${id}`);

export const createTask = (contactId: string, body: { title: string; notes?: string; dueAt?: string; remindAt?: string; assigneeId?: string }) =>
  api.post<{ task: Task }>(`/contacts/${contactId}/tasks`, body);
export const updateTask = (id: string, body: Partial<Pick<Task, 'title' | 'notes' | 'dueAt' | 'remindAt' | 'status'>> & { assigneeId?: string }) =>
  api.patch<{ task: Task }>(`/tasks/${id}`, body);
export const deleteTask = (id: string) => api.delete(`/tasks/${id}`);

export const unreadCountKey = ['notifications', 'unread-count'] as const;
export const getUnreadCount = () => api.get<{ count: number }>('/notifications/unread-count').then((r) => r.count);
export const listNotifications = () => api.get<{ items: Notification[] }>('/notifications', { limit: 20 }).then((r) => r.items);
export const markRead = (id: string) => api.post<unknown>(`/notifications/${id}/read`);
export const markAllRead = () => api.post<unknown>('/notifications/read-all');
