import type { Generated } from 'kysely';

export interface UsersTable {
  id: Generated<string>;
  email: string;
  name: string;
  password_hash: string;
  locale: Generated<string>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  password_changed_at: Generated<Date>;
  created_at: Generated<Date>;
}

export interface LoginAttemptsTable {
  id: Generated<number>;
  client_ip: string;
  email: string;
  succeeded: boolean;
  at: Generated<Date>;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  active_workspace_id: string | null;
  csrf_token: string;
  created_at: Generated<Date>;
  expires_at: Date;
  last_seen_at: Generated<Date>;
}

export interface ApiKeysTable {
  workspace_id: string;
  id: Generated<string>;
  owner_member_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  scopes: string[];
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
  created_at: Generated<Date>;
}

export interface AuthTables {
  users: UsersTable;
  login_attempts: LoginAttemptsTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
}
