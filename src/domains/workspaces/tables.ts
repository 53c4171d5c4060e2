import type { Generated } from 'kysely';
import type { DataScope } from '../../platform/auth/permissions.js';

export interface WorkspacesTable {
  id: Generated<string>;
  name: string;
  timezone: Generated<string>;
  locale: Generated<string>;
  default_region: Generated<string>;
  identity_collision: Generated<'refuse' | 'merge'>;
  created_at: Generated<Date>;
}

export interface RolesTable {
  workspace_id: string;
  id: Generated<string>;
  key: string | null;
  name: string;
  permissions: string[];
  data_scope: DataScope;
  created_at: Generated<Date>;
}

export interface MembersTable {
  workspace_id: string;
  id: Generated<string>;
  user_id: string;
  role_id: string;
  status: Generated<'active' | 'deactivated'>;
  created_at: Generated<Date>;
}

export interface TeamsTable {
  workspace_id: string;
  id: Generated<string>;
  parent_id: string | null;
  name: string;
  created_at: Generated<Date>;
}

export interface TeamMembersTable {
  workspace_id: string;
  team_id: string;
  member_id: string;
}

export interface InvitationsTable {
  workspace_id: string;
  id: Generated<string>;
  email: string;
  role_id: string;
  team_ids: Generated<string[]>;
  token_hash: string;
  invited_by: string;
  expires_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
  created_at: Generated<Date>;
}

export interface WorkspaceTables {
  workspaces: WorkspacesTable;
  roles: RolesTable;
  members: MembersTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  invitations: InvitationsTable;
}
