import { api, fetchAll } from './client';
import type { Team } from './types';

export const teamsKey = ['teams'] as const;
export const listTeams = () => fetchAll<Team>('/teams');
export const createTeam = (body: { name: string; parentId?: string | null }) => api.post<{ team: Team }>('/teams', body);
export const updateTeam = (id: string, body: { name?: string; parentId?: string | null }) => api.patch<{ team: Team }>(`/teams/${id}`, body);
export const deleteTeam = (id: string) => api.delete(`/teams/${id}`);
export const setTeamMembers = (id: string, memberIds: string[]) => api.put<{ team: Team }>(`/teams/${id}/members`, { memberIds });
