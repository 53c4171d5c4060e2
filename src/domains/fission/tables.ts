// The fission domain's tables, as Kysely sees them (db.ts adds them to the database type).
import type { ColumnType, Generated } from 'kysely';
import type { PosterLayout } from './schema.js';

export type CampaignStatus = 'draft' | 'active' | 'ended';
export type RewardKind = 'coupon' | 'points' | 'custom';
export type InviteStatus = 'counted' | 'review' | 'voided' | 'rejected';
export type RewardStatus = 'held' | 'granted' | 'awaiting_fulfilment' | 'fulfilled' | 'revoked';

export interface FissionCampaignsTable {
  workspace_id: string;
  id: Generated<string>;
  name: string;
  slug: string;
  status: CampaignStatus;
  starts_at: Date;
  ends_at: Date;
  channel_id: string;
  hold_days: number;
  void_days: number;
  rules_text: string;
  burst_count: number;
  burst_minutes: number;
  progress_messages: boolean;
  background_attachment_id: string | null;
  poster_layout: ColumnType<PosterLayout, string, string>;
  poster_version: Generated<number>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface FissionTiersTable {
  workspace_id: string;
  campaign_id: string;
  tier: number;
  goal: number;
  reward_kind: RewardKind;
  reward_name: string;
  points: number | null;
}

export interface FissionParticipantsTable {
  workspace_id: string;
  id: Generated<string>;
  campaign_id: string;
  contact_id: string;
  token: string;
  joined_via: 'api' | 'link';
  joined_at: Generated<Date>;
}

export interface FissionVisitsTable {
  workspace_id: string;
  id: Generated<string>;
  participant_id: string;
  visited_at: Generated<Date>;
  ip_hash: string | null;
  user_agent_hash: string | null;
  invite_id: string | null;
}

export interface FissionInvitesTable {
  workspace_id: string;
  id: Generated<string>;
  campaign_id: string;
  participant_id: string;
  invitee_contact_id: string;
  channel_id: string | null;
  ip_hash: string | null;
  status: InviteStatus;
  created_at: Generated<Date>;
  voided_at: Date | null;
  reviewed_by: string | null;
  reviewed_at: Date | null;
}

export interface FissionRewardsTable {
  workspace_id: string;
  id: Generated<string>;
  campaign_id: string;
  participant_id: string;
  tier: number;
  status: RewardStatus;
  due_at: Date;
  coupon_code: string | null;
  points_entry_id: string | null;
  granted_at: Date | null;
  revoked_at: Date | null;
  fulfilled_at: Date | null;
  fulfilled_by: string | null;
  created_at: Generated<Date>;
}

export interface FissionCouponCodesTable {
  workspace_id: string;
  campaign_id: string;
  tier: number;
  code: string;
  reward_id: string | null;
}

// A type, not an interface: Kysely's withTables needs the implicit index signature.
export type FissionTables = {
  fission_campaigns: FissionCampaignsTable;
  fission_tiers: FissionTiersTable;
  fission_participants: FissionParticipantsTable;
  fission_visits: FissionVisitsTable;
  fission_invites: FissionInvitesTable;
  fission_rewards: FissionRewardsTable;
  fission_coupon_codes: FissionCouponCodesTable;
};
