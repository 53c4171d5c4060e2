// The shapes of the /api/v1 contract the console reads. JSON is camelCase; times are ISO strings.

export type DataScope = 'own' | 'team' | 'team_tree' | 'all';

export interface User {
  id: string;
  email: string;
  name: string;
  locale: string | null;
}

export interface Workspace {
  id: string;
  name: string;
  timezone: string;
  locale: string;
  defaultRegion: string;
  identityCollision: 'refuse' | 'merge';
}

export interface Me {
  user: User;
  workspace: Workspace | null;
  member: {
    id: string;
    role: { id: string; key: string | null; name: string; scope: DataScope };
    permissions: string[];
    teamIds: string[];
  } | null;
  workspaces: Array<{ id: string; name: string; roleName: string }>;
}

export interface Member {
  id: string;
  userId: string;
  email: string;
  name: string;
  status: 'active' | 'deactivated';
  role: { id: string; key: string | null; name: string };
  teamIds: string[];
  createdAt: string;
}

export interface Invitation {
  id: string;
  email: string;
  role: { id: string; name: string };
  teamIds: string[];
  status: 'pending' | 'accepted' | 'revoked' | 'expired';
  expiresAt: string;
  createdAt: string;
  invitedBy: { id: string; name: string } | null;
}

export interface InvitationLookup {
  workspaceName: string;
  email: string;
  userExists: boolean;
}

export interface Team {
  id: string;
  name: string;
  parentId: string | null;
  memberIds: string[];
  createdAt: string;
}

export interface Role {
  id: string;
  key: string | null;
  name: string;
  permissions: string[];
  scope: DataScope;
  memberCount: number;
  builtin: boolean;
}

export interface PermissionCatalog {
  groups: Array<{ group: string; permissions: string[] }>;
  scopes: DataScope[];
}

export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  owner: { id: string; name: string } | null;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: { memberId: string | null; name: string | null; apiKeyId: string | null } | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
}

export type JobStatus = 'queued' | 'running' | 'done' | 'dead' | 'cancelled';

export interface Job {
  id: string;
  name: string;
  queue: string;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  progressDone: number | null;
  progressTotal: number | null;
  lastError: string | null;
  result?: unknown;
  createdAt: string;
  finishedAt: string | null;
}
