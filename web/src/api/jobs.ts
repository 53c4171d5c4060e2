import { api } from './client';
import type { Job } from './types';

export const retryJob = (id: string) => api.post<{ job: Job }>(`/jobs/${id}/retry`);
export const getJob = (id: string) => api.get<{ job: Job }>(`/jobs/${id}`).then((r) => r.job);
