import { api } from './client';
import type { Workspace } from './types';

export const createWorkspace = (body: { name: string }) => api.post<{ workspace: Workspace }>('/workspaces', body);
export const updateWorkspace = (body: Partial<Pick<Workspace, 'name' | 'timezone' | 'locale' | 'defaultRegion' | 'identityCollision'>>) =>
  api.patch<{ workspace: Workspace }>('/workspace', body);
