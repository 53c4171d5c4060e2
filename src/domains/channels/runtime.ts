// A channel as the hook route and the send job use it: its adapter with the settings parsed and
// the credentials decrypted. Nothing here is shown to a client.
import type { Db } from '../../platform/db/connect.js';
import type { AnyChannelAdapter, Capabilities, ChannelRuntime } from '../../channels/index.js';
import { adapterFor } from '../../channels/index.js';
import { rateOf } from './channels.js';
import type { Rate } from './rate-limit.js';
import { bindingOf, type Keyring } from './secrets.js';
import * as store from './store.js';

export interface LiveChannel {
  workspaceId: string;
  channelId: string;
  type: string;
  enabled: boolean;
  adapter: AnyChannelAdapter;
  runtime: ChannelRuntime<unknown, unknown>;
  identityType: string;
  capabilities: Capabilities;
  rate: Rate;
}

function live(row: store.ChannelRow, keyring: Keyring): LiveChannel | undefined {
  const adapter = adapterFor(row.type);
  if (!adapter) return undefined;
  const settings = adapter.settings.parse(row.settings);
  const secrets = adapter.secrets.parse(keyring.open(row.secrets, bindingOf(row.workspace_id, row.id)));
  return {
    workspaceId: row.workspace_id,
    channelId: row.id,
    type: row.type,
    enabled: row.enabled,
    adapter,
    runtime: { channelId: row.id, settings, secrets },
    identityType: adapter.identityType(settings),
    capabilities: adapter.capabilities(settings),
    rate: rateOf(row, adapter),
  };
}

/** The channel a /hooks request names (any workspace); undefined when unknown. */
export async function channelForHook(db: Db, keyring: Keyring, channelId: string) {
  const row = await store.findChannelForHook(db, channelId);
  return row && live(row, keyring);
}

export async function liveChannel(db: Db, keyring: Keyring, workspaceId: string, channelId: string) {
  const row = await store.findChannel(db, workspaceId, channelId);
  return row && live(row, keyring);
}

/** A channel without its credentials: what the inbox checks and records (nothing decrypted). */
export async function channelProfile(db: Db, workspaceId: string, channelId: string) {
  const row = await store.findChannel(db, workspaceId, channelId);
  const adapter = row && adapterFor(row.type);
  if (!row || !adapter) return undefined;
  const settings = adapter.settings.parse(row.settings);
  return {
    id: row.id,
    type: row.type,
    enabled: row.enabled,
    teamId: row.team_id,
    createdBy: row.created_by,
    identityType: adapter.identityType(settings),
    capabilities: adapter.capabilities(settings),
  };
}
export type ChannelProfile = NonNullable<Awaited<ReturnType<typeof channelProfile>>>;

/** The adapter's entry link into a channel (its type and stored settings) carrying `code`; null when it makes none. */
export function entryLinkOf(type: string, settings: unknown, code: string) {
  const adapter = adapterFor(type);
  return adapter?.entryLink?.(adapter.settings.parse(settings), code) ?? null;
}

/** What a live code's public page shows of its channel, and the adapter's entry link carrying `code` (null when it has none). */
export async function channelEntry(db: Db, workspaceId: string, channelId: string, code: string) {
  const row = await store.findChannel(db, workspaceId, channelId);
  if (!row || !adapterFor(row.type)) return undefined;
  return { id: row.id, type: row.type, name: row.name, enabled: row.enabled, link: entryLinkOf(row.type, row.settings, code) };
}

export const recordRefusal = store.recordRefusal;
export const recordEventSeen = store.recordEventSeen;
export const recordCredentialState = store.recordCredentialState;
