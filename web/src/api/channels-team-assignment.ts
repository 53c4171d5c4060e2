// How a team hands out the conversations of its channels (src/domains/inbox/assignment/routes.ts):
// automatic or not, round-robin or least-busy, a cap of open conversations per agent.
import { api } from './client';

export type AssignmentMode = 'round_robin' | 'least_busy';

export interface TeamAssignmentSettings {
  autoAssign: boolean;
  mode: AssignmentMode;
  /** Null: no cap. */
  agentCap: number | null;
}

export interface TeamAssignment extends TeamAssignmentSettings {
  teamId: string;
  queue: { waiting: number; oldestWaitingSince: string | null };
  agents: Array<{ memberId: string; status: 'online' | 'away' | 'offline'; openConversations: number; atCap: boolean }>;
}

export const teamAssignmentKey = (teamId: string) => ['team-assignment', teamId] as const;
export const getTeamAssignment = (teamId: string) => api.get<{ assignment: TeamAssignment }>(`/inbox/teams/${teamId}/assignment`).then((r) => r.assignment);
export const saveTeamAssignment = (teamId: string, body: TeamAssignmentSettings) =>
  api.put<{ assignment: TeamAssignment }>(`/inbox/teams/${teamId}/assignment`, body).then((r) => r.assignment);
