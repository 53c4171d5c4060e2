// The generic API channel ("api"): any system that can sign JSON with HMAC-SHA256 can bring its
// conversations into the inbox and receive the agents' replies. Protocol: README.md here.
// The signature is GitHub's X-Hub-Signature-256 scheme (and Meta's), so their published test
// vector checks ours (adapter.test.ts).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { channelTypes } from '../../domains/contacts/index.js';
import { messageKinds, type ChannelAdapter, type InboundRequest, type NormalisedEvent, type Sender } from '../adapter.js';
import { postJson } from '../http.js';
import { inboundBody, sendAnswer } from './payloads.js';
import { readJsonBody } from '../json-body.js';

export const SIGNATURE_HEADER = 'x-renmai-signature';

const settings = z.strictObject({
  /** Where replies are POSTed. */
  url: z.url({ protocol: /^https?$/ }).max(2000),
  /** What kind of id a sender's `from.id` is, among the contacts' identity types. */
  identityType: z.enum(channelTypes).default('web_visitor'),
});
const secrets = z.strictObject({ secret: z.string().min(16).max(200) });
type Settings = z.infer<typeof settings>;
type Secrets = z.infer<typeof secrets>;

/** `sha256=` + lower-case hex HMAC-SHA256 of the bytes with the secret. */
export const sign = (secret: string, bytes: Buffer | string) => `sha256=${createHmac('sha256', secret).update(bytes).digest('hex')}`;

function signatureMatches(secret: string, bytes: Buffer | string, given: string | undefined) {
  if (!given) return false;
  const expected = Buffer.from(sign(secret, bytes));
  const actual = Buffer.from(given.trim().toLowerCase());
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

const sender = (p: { id: string; name?: string; email?: string; emailVerified?: boolean; phone?: string; phoneVerified?: boolean }): Sender => ({
  externalId: p.id,
  displayName: p.name,
  email: p.email,
  emailVerified: p.emailVerified ?? false,
  phone: p.phone,
  phoneVerified: p.phoneVerified ?? false,
});

const when = (t: number | string | undefined) => (t === undefined ? new Date() : new Date(t));

/** A group's thread, apart from any person's (a person and a group may share an id). */
const groupThread = (groupId: string) => `group:${groupId}`;

function normalise(body: z.infer<typeof inboundBody>): NormalisedEvent[] {
  return body.events.map((e): NormalisedEvent => {
    const base = { providerEventId: e.id, occurredAt: when(e.timestamp) };
    switch (e.type) {
      case 'message':
        return {
          ...base,
          kind: 'message',
          threadKey: e.group ? groupThread(e.group.id) : e.from.id,
          sender: sender(e.from),
          ...(e.group ? { group: { externalId: e.group.id, name: e.group.name } } : {}),
          providerMessageId: e.message.id,
          content: { kind: e.message.kind, text: e.message.text, location: e.message.location, link: e.message.link },
          attachments: e.message.attachments.map((a) => ({ fileName: a.name, mimeType: a.mimeType, data: Buffer.from(a.data, 'base64') })),
        };
      case 'status':
        return { ...base, kind: 'status', threadKey: e.to ?? e.messageId, providerMessageId: e.messageId, status: e.status, error: e.error };
      case 'group_joined':
      case 'group_left':
        return { ...base, kind: e.type, threadKey: groupThread(e.group.id), sender: sender(e.from), group: { externalId: e.group.id, name: e.group.name } };
      default:
        return { ...base, kind: e.type, threadKey: e.from.id, sender: sender(e.from), ...(e.source ? { source: e.source } : {}) };
    }
  });
}

export const apiAdapter = {
  type: 'api',
  settings,
  secrets,
  identityType: (s) => s.identityType,
  capabilities: () => ({ messageKinds, templates: false, replyWindowMs: null, rateLimit: { perSecond: 20, burst: 40 } }),

  // GET ?challenge=<text> signed like a body (the signature of the challenge's bytes): answers
  // the challenge, so an integrator can check the URL and the secret before sending events.
  handshake(request, channel) {
    const challenge = new URLSearchParams(request.rawQuery).get('challenge');
    if (!challenge || !signatureMatches(channel.secrets.secret, challenge, request.headers[SIGNATURE_HEADER])) return null;
    return { status: 200, contentType: 'text/plain; charset=utf-8', body: challenge };
  },

  verify: (request: InboundRequest, channel) => signatureMatches(channel.secrets.secret, request.rawBody, request.headers[SIGNATURE_HEADER]),

  parse: (request, _channel) => normalise(readJsonBody(request.rawBody, inboundBody, 'a valid event batch')),

  async send(message, channel, context) {
    const body = JSON.stringify({
      id: message.id,
      to: message.recipient.externalId,
      ...(message.recipient.group ? { group: true } : {}),
      kind: message.content.kind,
      text: message.content.text,
      location: message.content.location,
      link: message.content.link,
      attachments: message.attachments.map((a) => ({ name: a.fileName, mimeType: a.mimeType, data: a.data.toString('base64') })),
    });
    const answer = await postJson(channel.settings.url, body, {
      headers: { [SIGNATURE_HEADER]: sign(channel.secrets.secret, body), 'idempotency-key': message.id },
      signal: context.signal,
      allowPrivateTargets: context.allowPrivateTargets,
    });
    const parsed = sendAnswer.safeParse(answer);
    // A receiver that keeps no ids of its own is answered with ours.
    return { providerMessageId: (parsed.success && parsed.data?.id) || message.id };
  },
} satisfies ChannelAdapter<Settings, Secrets>;
