// How automatic replies react to the inbox's events, in the delivery job's transaction (one
// delivery's effects commit once; the ledger's dedupe keys make a redelivery send nothing more).
// Never answered: a message marked `automated` (another system's auto-reply, bulk mail, a
// bounce), anything but a customer's inbound message (our own automatic messages and agents'
// replies are outbound, notes are notes), a group conversation, a reply that answers a survey.
// A fuse stops a conversation's automatic messages after FUSE_PER_HOUR in an hour, for the peer
// that auto-answers without saying so.
import { z } from 'zod';
import { publicUrl, type Config } from '../../config.js';
import { defineHandler, type DomainEvent, type EventHandler, type HandlerContext } from '../../platform/events/index.js';
import { inboxEvents, queueAutomaticMessage, type AutomaticMessage } from '../inbox/index.js';
import { arrivalWelcome } from '../livecodes/index.js';
import { answerByReply, startSurvey } from './csat.js';
import { setSurveyMessage, surveyedSince } from './csat-store.js';
import { closedSince, isOpen } from '../../platform/time/weekly.js';
import { firstMatch } from './match.js';
import { conversationFacts, messageInConversation, templateFacts } from './queries/conversations.js';
import * as store from './store.js';
import type { AutoreplyKind } from './tables.js';

export const FUSE_PER_HOUR = 10;
const HOUR = 3_600_000;
/** A customer's rating reply reopens the conversation; resolving it again within this asks no second time. */
export const SURVEY_COOLDOWN_MS = 24 * HOUR;

interface Outgoing {
  key: string;
  kind: AutoreplyKind;
  conversationId: string | null;
  target: AutomaticMessage['target'];
  text: string;
}

async function send(ctx: HandlerContext, config: Config, workspaceId: string, o: Outgoing) {
  const { tx } = ctx;
  if (o.conversationId && (await store.sentSince(tx, workspaceId, o.conversationId, new Date(Date.now() - HOUR))) >= FUSE_PER_HOUR) {
    ctx.logger.warn({ conversationId: o.conversationId, kind: o.kind }, 'autoreplies: fuse blown, no more automatic messages in this conversation for now');
    return undefined;
  }
  if (!(await store.claim(tx, workspaceId, o.key, o.kind, o.conversationId))) return undefined;
  const result = await queueAutomaticMessage(tx, config, { workspaceId, target: o.target, text: o.text, reason: o.kind });
  if ('skipped' in result) {
    ctx.logger.info({ key: o.key, skipped: result.skipped }, 'autoreplies: not sent');
    return undefined;
  }
  await store.recordSent(tx, workspaceId, o.key, result.conversationId, result.messageId);
  return result;
}

const messageReceived = z.object({ conversationId: z.uuid(), messageId: z.uuid() });

async function onMessage(ctx: HandlerContext, config: Config, ws: string, p: z.infer<typeof messageReceived>) {
  const m = await messageInConversation(ctx.tx, ws, p.messageId);
  if (!m || m.direction !== 'in' || m.content.automated || !m.contact_id) return;
  if (await answerByReply(ctx.tx, ws, m.conversation_id, m.body)) return;
  const target = { conversationId: m.conversation_id };
  const rule = m.body ? firstMatch(await store.rulesOfChannel(ctx.tx, ws, m.channel_id), m.body) : undefined;
  if (rule) await send(ctx, config, ws, { key: `keyword:${m.id}`, kind: 'keyword', conversationId: m.conversation_id, target, text: rule.reply });
  const hours = m.channel_team_id ? await store.findHours(ctx.tx, ws, m.channel_team_id) : undefined;
  if (!hours?.enabled) return;
  const schedule = { timezone: hours.timezone, weekly: hours.weekly, closedDates: hours.closed_dates };
  if (isOpen(schedule, m.created_at)) return;
  const period = closedSince(schedule, m.created_at)?.toISOString() ?? 'never';
  await send(ctx, config, ws, { key: `away:${m.conversation_id}:${period}`, kind: 'away', conversationId: m.conversation_id, target, text: hours.away_message });
}

const conversationCreated = z.object({ conversationId: z.uuid(), contactId: z.uuid(), channelId: z.uuid() });
const relationChanged = z.object({ contactId: z.uuid(), channelId: z.uuid(), kind: z.string(), providerEventId: z.string().optional(), source: z.string().max(256).optional() });

interface Arrival {
  channelId: string;
  contactId: string;
  conversationId: string | null;
  target: AutomaticMessage['target'];
  /** The live code (or other source) the contact arrived with. */
  source?: string;
}

/**
 * Once per contact on a channel: on their first conversation or when they follow / add us. An
 * arrival through a live code gets the code's welcome, or none when the code blocks their name.
 */
async function welcome(ctx: HandlerContext, config: Config, ws: string, w: Arrival) {
  const key = `welcome:${w.channelId}:${w.contactId}`;
  const byCode = w.source ? await arrivalWelcome(ctx.tx, ws, w.source, w.contactId) : undefined;
  if (byCode && 'blocked' in byCode) {
    // Claimed without a message, so the channel's welcome does not follow on their first conversation.
    await store.claim(ctx.tx, ws, key, 'welcome', w.conversationId);
    ctx.logger.info({ contactId: w.contactId, blocked: byCode.blocked }, 'autoreplies: no welcome for a blocked name');
    return;
  }
  const text = byCode?.text ?? (await store.findChannelSettings(ctx.tx, ws, w.channelId))?.welcome_message;
  if (text) await send(ctx, config, ws, { key, kind: 'welcome', conversationId: w.conversationId, target: w.target, text });
}

const statusChanged = z.object({ conversationId: z.uuid(), to: z.string(), reason: z.string(), actorMemberId: z.uuid().optional() });

/** Resolved by an agent (not automatically) on a channel that asks: the survey. */
async function onStatus(ctx: HandlerContext, config: Config, ws: string, p: z.infer<typeof statusChanged>) {
  if (p.to !== 'resolved' || p.reason !== 'member' || !p.actorMemberId) return;
  const conversation = await conversationFacts(ctx.tx, ws, p.conversationId);
  if (!conversation?.contact_id) return;
  const settings = await store.findChannelSettings(ctx.tx, ws, conversation.channel_id);
  if (!settings?.csat_enabled) return;
  if (await surveyedSince(ctx.tx, ws, conversation.id, new Date(Date.now() - SURVEY_COOLDOWN_MS))) return;
  const facts = await templateFacts(ctx.tx, ws, conversation.id, null);
  const survey = await startSurvey(ctx.tx, ws, {
    conversationId: conversation.id,
    channelId: conversation.channel_id,
    teamId: conversation.team_id,
    memberId: conversation.assignee_member_id ?? p.actorMemberId,
    locale: facts?.locale ?? 'en',
    publicUrl: publicUrl(config),
  });
  const sent = await send(ctx, config, ws, { key: `csat:${survey.surveyId}`, kind: 'csat', conversationId: conversation.id, target: { conversationId: conversation.id }, text: survey.text });
  if (sent) await setSurveyMessage(ctx.tx, ws, survey.surveyId, sent.messageId);
}

async function react(ctx: HandlerContext, config: Config, event: DomainEvent) {
  const ws = event.workspaceId;
  switch (event.type) {
    case inboxEvents.messageReceived: {
      const p = messageReceived.safeParse(event.payload);
      return p.success ? onMessage(ctx, config, ws, p.data) : undefined;
    }
    case inboxEvents.conversationCreated: {
      const p = conversationCreated.safeParse(event.payload);
      return p.success ? welcome(ctx, config, ws, { ...p.data, target: { conversationId: p.data.conversationId } }) : undefined;
    }
    case inboxEvents.channelRelationChanged: {
      const p = relationChanged.safeParse(event.payload);
      if (!p.success || !['follow', 'friend_added'].includes(p.data.kind) || !p.data.providerEventId) return undefined;
      return welcome(ctx, config, ws, { ...p.data, conversationId: null, target: { channelId: p.data.channelId, providerEventId: p.data.providerEventId } });
    }
    case inboxEvents.conversationStatusChanged: {
      const p = statusChanged.safeParse(event.payload);
      return p.success ? onStatus(ctx, config, ws, p.data) : undefined;
    }
    default:
      return undefined;
  }
}

/** The handler, bound to the settings it needs (the send job, the public URL of survey links). */
export const autorepliesHandler = (config: Config): EventHandler =>
  defineHandler({
    name: 'autoreplies',
    queue: 'realtime',
    events: [inboxEvents.messageReceived, inboxEvents.conversationCreated, inboxEvents.channelRelationChanged, inboxEvents.conversationStatusChanged],
    handle: (ctx, event) => react(ctx, config, event),
  });
