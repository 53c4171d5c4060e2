import { api } from './client';
import type { Job } from './types';

export const retryJob = (id: string) => api.post<{ job: Job }>(`/jobs/${id}/retry`);
