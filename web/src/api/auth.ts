import { api, isApiError } from './client';
import type { Me, User } from './types';

export const meKey = ['auth', 'me'] as const;

/** null when nobody is signed in (a 401 here is an answer, not an error). */
export async function getMe(): Promise<Me | null> {
  try {
    return await api.get<Me>('/auth/me', undefined, { expect401: true });
  } catch (e) {
    if (isApiError(e) && e.status === 401) return null;
    throw e;
  }
}

export const login = (body: { email: string; password: string }) =>
  api.post<{ user: User }>('/auth/login', body, { expect401: true });
export const logout = () => api.post<void>('/auth/logout', undefined, { expect401: true });
export const updateMe = (body: { name?: string; locale?: string }) => api.patch<{ user: User }>('/auth/me', body);
export const changePassword = (body: { currentPassword: string; newPassword: string }) => api.post<void>('/auth/password', body);
export const switchWorkspace = (workspaceId: string) => api.post<void>('/auth/switch-workspace', { workspaceId });
