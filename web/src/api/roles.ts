import { api, fetchAll } from './client';
import type { DataScope, PermissionCatalog, Role } from './types';

export const rolesKey = ['roles'] as const;
export const listRoles = () => fetchAll<Role>('/roles');
export const getPermissions = () => api.get<PermissionCatalog>('/permissions');

export interface RoleInput {
  name: string;
  permissions: string[];
  scope: DataScope;
}
export const createRole = (body: RoleInput) => api.post<{ role: Role }>('/roles', body);
export const updateRole = (id: string, body: Partial<RoleInput>) => api.patch<{ role: Role }>(`/roles/${id}`, body);
export const deleteRole = (id: string) => api.delete(`/roles/${id}`);
