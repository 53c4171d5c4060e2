// The referrals domain's tables, as Kysely sees them (db.ts adds them to the database type).
import type { Generated } from 'kysely';

export type EdgeStatus = 'counted' | 'review' | 'voided' | 'rejected';
export type EdgeSource = 'fission' | 'referral';

export interface ReferralProgramsTable {
  workspace_id: string;
  id: Generated<string>;
  name: string;
  channel_id: string;
  enabled: Generated<boolean>;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface ReferralCodesTable {
  workspace_id: string;
  id: Generated<string>;
  program_id: string;
  slug: string;
  owner_contact_id: string | null;
  owner_member_id: string | null;
  created_at: Generated<Date>;
}

export interface ReferralVisitsTable {
  workspace_id: string;
  id: Generated<string>;
  code_id: string;
  visited_at: Generated<Date>;
}

export interface ReferralArrivalsTable {
  workspace_id: string;
  code_id: string;
  contact_id: string;
  arrived_at: Generated<Date>;
}

export interface InviteEdgesTable {
  workspace_id: string;
  invitee_contact_id: string;
  inviter_contact_id: string | null;
  inviter_member_id: string | null;
  root_contact_id: string | null;
  root_member_id: string | null;
  depth: number;
  source: EdgeSource;
  scope_id: string;
  scope_depth: number;
  fission_invite_id: string | null;
  referral_code_id: string | null;
  status: EdgeStatus;
  created_at: Generated<Date>;
}

// A type, not an interface: Kysely's withTables needs the implicit index signature.
export type ReferralTables = {
  referral_programs: ReferralProgramsTable;
  referral_codes: ReferralCodesTable;
  referral_visits: ReferralVisitsTable;
  referral_arrivals: ReferralArrivalsTable;
  invite_edges: InviteEdgesTable;
};
