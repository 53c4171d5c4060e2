import { api, fetchAll } from './client';
import type { Invitation, InvitationLookup, Member, User } from './types';

export const listAllMembers = () => fetchAll<Member>('/members');
export const changeMemberRole = (id: string, roleId: string) => api.patch<{ member: Member }>(`/members/${id}`, { roleId });
export const deactivateMember = (id: string) => api.post<unknown>(`/members/${id}/deactivate`);
export const reactivateMember = (id: string) => api.post<unknown>(`/members/${id}/reactivate`);

export const createInvitation = (body: { email: string; roleId: string; teamIds?: string[] }) =>
  api.post<{ invitation: Invitation; url: string }>('/invitations', body);
export const revokeInvitation = (id: string) => api.delete(`/invitations/${id}`);
export const lookupInvitation = (token: string) =>
  api.get<InvitationLookup>('/invitations/lookup', { token }, { expect401: true });
export const acceptInvitation = (body: { token: string; name?: string; password: string }) =>
  api.post<{ user: User }>('/invitations/accept', body, { expect401: true });
