import { api } from './client';
import type { ApiKey } from './types';

export const createApiKey = (body: { name: string; scopes: string[]; expiresAt?: string }) =>
  api.post<{ apiKey: ApiKey; secret: string }>('/api-keys', body);
export const revokeApiKey = (id: string) => api.delete(`/api-keys/${id}`);
