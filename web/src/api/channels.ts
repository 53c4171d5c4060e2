// Channels (src/domains/channels/routes.ts): a workspace's provider accounts. Credentials are
// write-only — the API names the ones set (`secretsSet`) and never returns a value.
import { api } from './client';

/** The part of JSON Schema (2020-12, as zod's toJSONSchema writes it) the channel forms render. */
export interface JsonSchema {
  type?: 'object' | 'string' | 'integer' | 'number' | 'boolean' | 'array';
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  enum?: Array<string | number>;
  const?: string | number | boolean;
  default?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}

export interface ChannelType {
  type: string;
  /** JSON Schema of `settings` as the API accepts them. */
  settings: JsonSchema;
  /** JSON Schema of `secrets`. */
  secrets: JsonSchema;
  /** Whether the provider's events arrive at the channel's hookUrl. */
  hooks: boolean;
  /** What the admin does at the provider (src/channels/adapter.ts SetupGuide). */
  setup: ChannelSetup;
  /** Whether POST /channels/{id}/test can check this type's credentials. */
  testable: boolean;
}

export interface ChannelSetup {
  /** paste: the admin pastes hookUrl at the provider; connect: POST /channels/{id}/connect registers it; none: no webhook. */
  webhook: 'paste' | 'connect' | 'none';
  providerUrl?: string;
  /** Stable keys (labels channelSetup.steps.<type>.<key>) with English text as the fallback. */
  steps: Array<{ key: string; text: string; showHookUrl?: boolean }>;
}

/** The provider account a successful Test connection found. */
export interface ConnectionAccount {
  accountId?: string;
  name?: string;
  username?: string;
}

export interface Channel {
  id: string;
  type: string;
  name: string;
  settings: Record<string, unknown>;
  enabled: boolean;
  teamId: string | null;
  rate: { perSecond: number; burst: number };
  secretsSet: string[];
  hookUrl: string;
  health: {
    lastEventAt: string | null;
    refusedCount: number;
    lastRefusedAt: string | null;
    lastRefusedReason: string | null;
    sendPausedUntil: string | null;
    /** When a provider last checked the credentials. */
    credentialsCheckedAt: string | null;
    /** The token state: a stable reason while the provider refuses the credentials (token_invalid, token_expired), else null. */
    credentialsProblem: string | null;
  };
  createdAt: string;
  updatedAt: string;
}

export interface ChannelInput {
  type: string;
  name: string;
  settings: Record<string, unknown>;
  secrets: Record<string, unknown>;
  teamId?: string | null;
}

export type ChannelPatch = Partial<Omit<ChannelInput, 'type'>> & { enabled?: boolean };

export const channelTypesKey = ['channel-types'] as const;
export const channelsListPath = '/channels';

export const listChannelTypes = () => api.get<{ items: ChannelType[] }>('/channel-types').then((r) => r.items);
export const createChannel = (body: ChannelInput) => api.post<{ channel: Channel }>('/channels', body).then((r) => r.channel);
export const updateChannel = (id: string, body: ChannelPatch) => api.patch<{ channel: Channel }>(`/channels/${id}`, body).then((r) => r.channel);
export const deleteChannel = (id: string) => api.delete(`/channels/${id}`);
export const testChannel = (id: string) => api.post<{ ok: true; account: ConnectionAccount }>(`/channels/${id}/test`, {});
export const connectChannel = (id: string) => api.post<{ ok: true; hookUrl: string }>(`/channels/${id}/connect`, {});
export const getChannelSnippet = (id: string) => api.get<{ snippet: string; scriptUrl: string }>(`/channels/${id}/widget-snippet`);
