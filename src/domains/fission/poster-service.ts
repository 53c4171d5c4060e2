// A participant's poster: the campaign's look and the participant's avatar and name, rendered
// (poster.ts) once per version and cached on disk beside the inbox's files. The avatar is fetched
// through the channels' download guard (no private targets, size and time limits); when it
// cannot be fetched the poster shows the name's initial.
import { download } from '../../channels/download.js';
import type { Config } from '../../config.js';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { notFound } from '../../platform/http/errors.js';
import { inboxDeps, readStored } from '../inbox/index.js';
import { personalLink } from './messages.js';
import { cachedPoster, renderPoster } from './poster.js';
import { attachmentFile, contactCard } from './queries/refs.js';
import * as store from './store.js';

const AVATAR_MAX_BYTES = 2 * 1024 * 1024;
const AVATAR_TIMEOUT_MS = 5_000;

async function fetchAvatar(config: Config, url: string | null) {
  if (!url) return undefined;
  try {
    return (await download(url, { signal: AbortSignal.timeout(AVATAR_TIMEOUT_MS), allowPrivateTargets: config.CHANNEL_ALLOW_PRIVATE_TARGETS, maxBytes: AVATAR_MAX_BYTES, timeoutMs: AVATAR_TIMEOUT_MS })).data;
  } catch {
    return undefined;
  }
}

/** The PNG of the participant's poster; `cached` says whether it came from disk. */
export async function posterOf(db: Db, config: Config, workspaceId: string, participant: { id: string; campaign_id: string; contact_id: string; token: string }) {
  const campaign = (await store.findCampaign(db, workspaceId, participant.campaign_id))!;
  const card = await contactCard(db, workspaceId, participant.contact_id);
  const name = card?.name || '…';
  const { limits } = inboxDeps(config);
  const key = { dir: limits.dir, workspaceId, campaignId: campaign.id, version: campaign.poster_version, participantId: participant.id, looks: `${card?.avatar_url ?? ''}\n${name}` };
  return cachedPoster(key, async () => {
    const file = campaign.background_attachment_id ? await attachmentFile(db, workspaceId, campaign.background_attachment_id) : undefined;
    const data = file ? await readStored(limits, workspaceId, file.sha256).catch(() => undefined) : undefined;
    return renderPoster({ layout: campaign.poster_layout, background: file && data ? { key: file.sha256, data } : undefined, avatar: await fetchAvatar(config, card?.avatar_url ?? null), name, link: personalLink(config, participant.token) });
  });
}

export async function participantPoster(db: Db, config: Config, actor: Actor, campaignId: string, participantId: string) {
  requireAccess(actor, 'fission:read');
  const participant = await store.findParticipant(db, actor.workspaceId, campaignId, participantId);
  if (!participant) throw notFound('Participant');
  return (await posterOf(db, config, actor.workspaceId, participant)).png;
}
