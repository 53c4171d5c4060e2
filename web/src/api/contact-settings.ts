// Workspace settings for customers: custom fields, stages, tag groups and tags.
import { useQuery } from '@tanstack/react-query';
import { api } from './client';
import type { CustomFieldType } from './contacts';

export interface CustomField { id: string; key: string; label: string; type: CustomFieldType; options: string[]; required: boolean; position: number }
export interface Stage { id: string; name: string; color: string | null; position: number; contactCount?: number }
export interface Tag { id: string; name: string; color: string | null; contactCount?: number; groupId?: string }
export interface TagGroup { id: string; name: string; singleChoice: boolean; position: number; tags: Tag[] }

type Items<T> = { items: T[] };
export const customFieldsKey = ['custom-fields'] as const;
export const stagesKey = ['stages'] as const;
export const tagGroupsKey = ['tag-groups'] as const;

export const listCustomFields = () => api.get<Items<CustomField>>('/custom-fields').then((r) => r.items);
export const createCustomField = (body: { key: string; label: string; type: CustomFieldType; options?: string[]; required?: boolean }) =>
  api.post<{ field: CustomField }>('/custom-fields', body);
export const updateCustomField = (id: string, body: { label?: string; options?: string[]; required?: boolean }) =>
  api.patch<{ field: CustomField }>(`/custom-fields/${id}`, body);
export const deleteCustomField = (id: string) => api.delete(`/custom-fields/${id}`);
export const orderCustomFields = (ids: string[]) => api.put<unknown>('/custom-fields/order', { ids });

export const listStages = () => api.get<Items<Stage>>('/stages').then((r) => r.items);
export const createStage = (body: { name: string; color?: string }) => api.post<{ stage: Stage }>('/stages', body);
export const updateStage = (id: string, body: { name?: string; color?: string }) => api.patch<{ stage: Stage }>(`/stages/${id}`, body);
export const deleteStage = (id: string) => api.delete(`/stages/${id}`);
export const orderStages = (ids: string[]) => api.put<unknown>('/stages/order', { ids });

export const listTagGroups = () => api.get<Items<TagGroup>>('/tag-groups').then((r) => r.items);
export const createTagGroup = (body: { name: string; singleChoice?: boolean }) => api.post<{ group: TagGroup }>('/tag-groups', body);
export const updateTagGroup = (id: string, body: { name?: string; singleChoice?: boolean }) => api.patch<{ group: TagGroup }>(`/tag-groups/${id}`, body);
export const deleteTagGroup = (id: string) => api.delete(`/tag-groups/${id}`);
export const createTag = (body: { groupId: string; name: string; color?: string }) => api.post<{ tag: Tag }>('/tags', body);
export const updateTag = (id: string, body: { name?: string; color?: string }) => api.patch<{ tag: Tag }>(`/tags/${id}`, body);
export const deleteTag = (id: string) => api.delete(`/tags/${id}`);

// Whole lists for pickers, filters and labels; small and shared by every customer page.
export const useCustomFields = () => useQuery({ queryKey: customFieldsKey, queryFn: listCustomFields, staleTime: 30_000 });
export const useStages = () => useQuery({ queryKey: stagesKey, queryFn: listStages, staleTime: 30_000 });
export const useTagGroups = () => useQuery({ queryKey: tagGroupsKey, queryFn: listTagGroups, staleTime: 30_000 });

/** Every tag with its group, for selects and colour lookups. */
export function useAllTags() {
  const groups = useTagGroups();
  const tags = (groups.data ?? []).flatMap((g) => g.tags.map((tag) => ({ ...tag, groupId: g.id, groupName: g.name, singleChoice: g.singleChoice })));
  return { ...groups, tags };
}
