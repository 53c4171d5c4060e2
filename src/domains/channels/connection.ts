// Checking a channel's credentials at the provider (POST /channels/{id}/test) and registering its
// webhook there (POST /channels/{id}/connect, for providers Renmai configures itself, e.g.
// Telegram's setWebhook). Both are explicit steps an admin takes, never side effects of saving
// (STYLE.md §5). A provider's refusal is a 502 problem with the ChannelError's stable `reason`.
import { recordAudit } from '../../platform/audit/audit.js';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { ChannelError, type ConnectionInfo, type EntryRegistration, type RegisteredEntry, type TemplateInfo } from '../../channels/index.js';
import { liveChannel, recordCredentialState } from './runtime.js';
import type { Keyring } from './secrets.js';

const TIMEOUT_MS = 20_000;

export interface ProviderCallOptions {
  allowPrivateTargets: boolean;
}

/** The problem for a failed provider call: the reason and kind are stable, the message the provider's words. */
function providerFailure(error: unknown): AppError {
  if (!(error instanceof ChannelError)) throw error;
  return new AppError('provider_error', error.message, { details: { reason: error.reason, kind: error.kind } });
}

async function openChannel(db: Db, keyring: Keyring, actor: Actor, id: string) {
  let channel;
  try {
    channel = await liveChannel(db, keyring, actor.workspaceId, id);
  } catch {
    // Credentials that no longer decrypt (the key changed) or no longer fit the adapter's schema.
    throw new AppError('conflict', 'The channel\'s credentials cannot be read; enter them again', { details: { reason: 'token_invalid' } });
  }
  if (!channel) throw notFound('Channel');
  return channel;
}

export async function testChannel(db: Db, keyring: Keyring, actor: Actor, id: string, o: ProviderCallOptions): Promise<{ ok: true; account: ConnectionInfo }> {
  requireAccess(actor, 'channels:manage');
  const channel = await openChannel(db, keyring, actor, id);
  if (!channel.adapter.testConnection) throw new AppError('conflict', `A ${channel.type} channel has no connection test`, { details: { reason: 'not_supported' } });
  let account;
  try {
    account = await channel.adapter.testConnection(channel.runtime, { signal: AbortSignal.timeout(TIMEOUT_MS), allowPrivateTargets: o.allowPrivateTargets });
  } catch (error) {
    // Only a refusal of the credentials says something of them (a timeout does not).
    if (error instanceof ChannelError && error.kind === 'auth') await recordCredentialState(db, actor.workspaceId, id, error.reason);
    throw providerFailure(error);
  }
  await recordCredentialState(db, actor.workspaceId, id, null);
  return { ok: true, account };
}

export async function connectChannel(db: Db, keyring: Keyring, actor: Actor, id: string, o: ProviderCallOptions & { hookUrl: string }): Promise<{ ok: true; hookUrl: string }> {
  requireAccess(actor, 'channels:manage');
  const channel = await openChannel(db, keyring, actor, id);
  if (!channel.adapter.connect) throw new AppError('conflict', `A ${channel.type} channel is connected at the provider's console, not from here`, { details: { reason: 'not_supported' } });
  try {
    await channel.adapter.connect(channel.runtime, { signal: AbortSignal.timeout(TIMEOUT_MS), allowPrivateTargets: o.allowPrivateTargets, hookUrl: o.hookUrl });
  } catch (error) {
    throw providerFailure(error);
  }
  await recordAudit(db, actor, { action: 'channel.connected', entityType: 'channel', entityId: id, after: { hookUrl: o.hookUrl } });
  return { ok: true, hookUrl: o.hookUrl };
}

/** The channel's message templates, read live at the provider (WhatsApp message_templates) for the composer. */
export async function channelTemplates(db: Db, keyring: Keyring, actor: Actor, id: string, o: ProviderCallOptions): Promise<{ items: TemplateInfo[] }> {
  requireAccess(actor, 'inbox:write');
  const channel = await openChannel(db, keyring, actor, id);
  if (!channel.adapter.templates) throw new AppError('conflict', `A ${channel.type} channel has no message templates`, { details: { reason: 'not_supported' } });
  try {
    return { items: await channel.adapter.templates(channel.runtime, { signal: AbortSignal.timeout(TIMEOUT_MS), allowPrivateTargets: o.allowPrivateTargets }) };
  } catch (error) {
    if (error instanceof ChannelError && error.kind === 'auth') await recordCredentialState(db, actor.workspaceId, id, error.reason);
    throw providerFailure(error);
  }
}

/**
 * Registers a live code's entry at the provider (WeCom 联系我, an official account's parametric
 * QR) for the live codes domain, which checks its own permission; the channel must be the
 * workspace's. A channel type that has none is a 409 `not_supported`.
 */
export async function registerChannelEntry(db: Db, keyring: Keyring, workspaceId: string, channelId: string, entry: EntryRegistration, o: ProviderCallOptions): Promise<RegisteredEntry> {
  const channel = await liveChannel(db, keyring, workspaceId, channelId).catch(() => undefined);
  if (!channel) throw new AppError('conflict', "The code's channel cannot be opened (is its secret key set?)", { details: { reason: 'token_invalid' } });
  if (!channel.adapter.registerEntry) throw new AppError('conflict', `A ${channel.type} channel has no codes of its own: its link is served from /c/<slug>`, { details: { reason: 'not_supported' } });
  try {
    return await channel.adapter.registerEntry(entry, channel.runtime, { signal: AbortSignal.timeout(TIMEOUT_MS), allowPrivateTargets: o.allowPrivateTargets });
  } catch (error) {
    if (error instanceof ChannelError && error.kind === 'auth') await recordCredentialState(db, workspaceId, channelId, error.reason);
    throw providerFailure(error);
  }
}
