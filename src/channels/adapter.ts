// The one interface every provider implements. An adapter knows its provider's protocol and
// nothing of Renmai's tables: it verifies and parses inbound requests into normalised events,
// sends one outbound message, and declares what the channel can do. The inbox asks
// `capabilities`, never the channel's type (STYLE.md §3).
import type { z } from 'zod';

export const messageKinds = ['text', 'image', 'file', 'audio', 'video', 'location', 'link'] as const;
export type MessageKind = (typeof messageKinds)[number];

/** An inbound HTTP request as the hook route received it: the raw bytes, before any parsing. */
export interface InboundRequest {
  method: 'GET' | 'POST';
  /** Header names lower-cased. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The raw query string, undecoded (some providers sign dotted or encoded names). */
  rawQuery: string;
  rawBody: Buffer;
  /** The public URL the provider called (PUBLIC_URL, the hook path, the raw query): what Twilio signs. */
  url?: string;
}

/** A person on the provider's side. Only what the provider vouches for is marked verified. */
export interface Sender {
  externalId: string;
  displayName?: string;
  email?: string;
  phone?: string;
  emailVerified?: boolean;
  phoneVerified?: boolean;
}

export interface InboundAttachment {
  fileName: string;
  /** What the provider says; the inbox checks the bytes themselves. */
  mimeType: string;
  data: Buffer;
}

/**
 * A file the provider holds and hands out by id (Telegram file_id, LINE message id, WeCom
 * media_id): parse() returns these instead of downloading inside the webhook request, which
 * must be answered fast. The inbox stores the message at once and fetches each file in the
 * worker (job `inbox.fetch-media`) through the adapter's `fetchMedia`.
 */
export interface MediaRef {
  /** Opaque to the inbox: whatever fetchMedia needs to get the bytes (at most 2,000 characters). */
  ref: string;
  /** The name to keep when the download brings none. */
  fileName: string;
  /** What the provider says; the inbox checks the bytes themselves. */
  mimeType: string;
}

/** A downloaded file (see download.ts); name and type fall back to the MediaRef's. */
export interface FetchedMedia {
  data: Buffer;
  mimeType?: string;
  fileName?: string;
}

export interface Location {
  latitude: number;
  longitude: number;
  name?: string;
  address?: string;
}

export interface LinkCard {
  url: string;
  title?: string;
  description?: string;
  imageUrl?: string;
}

export interface MessageContent {
  kind: MessageKind;
  text?: string;
  /** Sanitised HTML where the provider sends formatted messages (e-mail); `text` is its plain form, used for search. */
  html?: string;
  /** The subject line, where the provider's messages have one (e-mail). */
  subject?: string;
  location?: Location;
  link?: LinkCard;
  /** A pre-approved template (WhatsApp), the one kind of message a channel with `templates` sends outside its reply window. */
  template?: TemplateRef;
}

/** Which template to send, and the values of its body's {{1}}, {{2}}, … in order. */
export interface TemplateRef {
  name: string;
  /** The template's language code (en_US, zh_CN). */
  language: string;
  bodyParameters?: string[];
}

/** A template of the channel's catalogue at the provider, for the composer (GET /channels/{id}/templates). */
export interface TemplateInfo {
  name: string;
  language: string;
  /** The provider's review state: only `approved` ones can be sent. */
  status: 'approved' | 'pending' | 'rejected' | 'other';
  category?: string;
  /** The body text with its {{n}} placeholders. */
  body?: string;
  /** How many body parameters the template takes. */
  bodyParameterCount: number;
}

/** A group chat on the provider (Telegram or LINE group, WeCom customer group): one conversation, many people. */
export interface GroupRef {
  externalId: string;
  name?: string;
}

interface EventBase {
  /** The provider's id of this delivery: intake stores each once per channel. */
  providerEventId: string;
  /** Events with the same key are processed one at a time, in order (one conversation). */
  threadKey: string;
  occurredAt: Date;
}

/** Sent by a machine rather than a person: shown, but never answered automatically (no reply loops). */
export type Automated = 'auto_reply' | 'bulk' | 'bounce';

export interface InboundMessage extends EventBase {
  kind: 'message';
  sender: Sender;
  /** Set when the message was written in a group; `threadKey` is then the group's, `sender` the participant. */
  group?: GroupRef;
  providerMessageId: string;
  content: MessageContent;
  attachments: InboundAttachment[];
  /** Files the provider holds by reference, fetched by the worker after the message is stored (MediaRef). */
  mediaRefs?: MediaRef[];
  /** Provider ids of earlier messages this one answers, nearest first (e-mail In-Reply-To, References). */
  references?: string[];
  automated?: Automated;
  /** What the adapter needs back to answer this message in its thread (e-mail: subject, References); opaque to the inbox. */
  replyContext?: Record<string, unknown>;
  /** The live-code / campaign parameter the customer arrived with (Telegram `/start <payload>`): see `source` on the follow event. */
  source?: string;
  /** The message is a consent keyword (SMS STOP / START): recorded as the contact's consent under `capabilities.consentType`. */
  consent?: { status: 'opt_in' | 'opt_out'; how: string };
}

export type NormalisedEvent =
  | InboundMessage
  | (EventBase & { kind: 'status'; providerMessageId: string; status: 'delivered' | 'read' | 'failed'; error?: string; reason?: ChannelErrorReason })
  /**
   * `source`: the parameter of the link or QR code that brought the person (Telegram `?start=`,
   * WeCom `State`, official-account `qrscene_`), at most 256 characters, for live-code
   * attribution; carried on `inbox.channel_relation.changed`.
   */
  | (EventBase & { kind: 'follow' | 'unfollow' | 'friend_added' | 'friend_removed'; sender: Sender; source?: string })
  /** Someone joined or left a group. */
  | (EventBase & { kind: 'group_joined' | 'group_left'; sender: Sender; group: GroupRef });

export interface OutboundAttachment {
  fileName: string;
  mimeType: string;
  data: Buffer;
}

export interface OutboundMessage {
  /** Renmai's message id: sent as the provider's idempotency key where it has one, so a resend after a crash is not a second message. */
  id: string;
  /** The customer, or the group (`group` true) the reply goes to. */
  recipient: { externalId: string; group?: boolean };
  threadKey: string;
  content: MessageContent;
  attachments: OutboundAttachment[];
  /** Sent by automation (an auto-reply, welcome, away message or survey), not by an agent: a provider that can say so does (e-mail: Auto-Submitted). */
  automated?: boolean;
  /** The customer's message this one answers (the conversation's newest inbound one), with the adapter's replyContext of it. */
  inReplyTo?: { providerMessageId: string; replyContext: Record<string, unknown> };
}

export interface Capabilities {
  /** Kinds of message the channel can send and receive. */
  messageKinds: readonly MessageKind[];
  templates: boolean;
  /** How long after the customer's last message a free-form reply may be sent; null: no window. */
  replyWindowMs: number | null;
  /** Default send rate; a channel may lower or raise it. */
  rateLimit: { perSecond: number; burst: number };
  /** The contacts' consent channel type sends need (SMS: `sms`): a contact opted out under it is not sent to (`recipient_opted_out`). */
  consentType?: string;
}

/** What the adapter is given for one channel: its settings and its decrypted secrets. */
export interface ChannelRuntime<Settings, Secrets> {
  channelId: string;
  settings: Settings;
  secrets: Secrets;
}

export interface SendContext {
  signal: AbortSignal;
  /** Lets the adapter reach loopback and private addresses (the tests' fake providers). */
  allowPrivateTargets: boolean;
  /** The channel's /hooks URL, for providers that take a callback address per message (Twilio StatusCallback). */
  hookUrl?: string;
}

/** SendContext for a download: the most bytes the inbox will keep (ATTACHMENT_MAX_BYTES). */
export interface MediaContext extends SendContext {
  maxBytes: number;
}

/** SendContext for registering the webhook at the provider: the URL it should call. */
export interface ConnectContext extends SendContext {
  hookUrl: string;
}

/** What a successful testConnection found: the provider's account, for the console to show. */
export interface ConnectionInfo {
  /** The provider's id of the account (bot id, LINE bot user id). */
  accountId?: string;
  /** Display name of the account. */
  name?: string;
  /** Handle, where the provider has one (Telegram @username, LINE basic id). */
  username?: string;
}

/**
 * What the admin does at the provider so events reach Renmai, shown on the console's channel
 * page. `webhook`: `paste` — the admin pastes the channel's hook URL at the provider;
 * `connect` — Renmai registers it itself (POST /api/v1/channels/{id}/connect, adapter.connect);
 * `none` — nothing arrives over /hooks. Each step has a stable key the console translates
 * (`channelAdmin.setup.<type>.<key>`), with `text` as the English fallback.
 */
export interface SetupGuide {
  webhook: 'paste' | 'connect' | 'none';
  /** The provider's console or documentation page where the steps are done. */
  providerUrl?: string;
  steps: Array<{ key: string; text: string; /** Show the channel's hook URL to copy beside this step. */ showHookUrl?: boolean }>;
}

/**
 * What a follow or friend event means beyond the inbox's view, as the provider tells it (WeCom
 * externalcontact/get): the person's profile, and the member of the company on the other side.
 * The channels domain asks for it in the worker after the event is stored, and writes it to the
 * contact (identities, name) and its staff relationships.
 */
export interface RelationFacts {
  profile?: {
    displayName?: string;
    avatarUrl?: string;
    company?: string;
    /** Further identities of the person (a WeChat unionid), among the contacts' channel types. */
    identities?: Array<{ channelType: string; externalId: string }>;
  };
  /** The company-side member (WeCom UserID), and the Renmai member the channel maps it to, if any. */
  staff?: { externalId: string; memberId?: string; since?: Date };
  /** On friend_removed: who ended it. `contact` is churn: the member and the owner are alerted. */
  endedBy?: 'contact' | 'staff';
  /** Tags to add to the contact (ids the channel is configured with, e.g. a churn tag). */
  tagIds?: string[];
}

export interface HookAnswer {
  status: number;
  contentType: string;
  body: string;
}

export interface EntryRegistration {
  /** The live code's slug: the source the provider hands back. */
  code: string;
  name: string;
  /** The code's staff (pool and backups) as Renmai members; the adapter maps them to the provider's users. */
  memberIds: string[];
}

export interface RegisteredEntry {
  /** The provider's id of the entry (WeCom config_id, an official account's ticket). */
  ref: string;
  /** What the QR code should hold, when Renmai draws it (an official account's qrcode url). */
  qrContent: string | null;
  /** The provider's own image of the QR code, when it draws it (WeCom's qr_code). */
  qrImageUrl: string | null;
}

export interface ChannelAdapter<Settings = unknown, Secrets = unknown> {
  type: string;
  /** Non-secret settings: shown by the API. */
  settings: z.ZodType<Settings>;
  /** Credentials: stored encrypted, never shown, never logged. */
  secrets: z.ZodType<Secrets>;
  /** The contact identity type a sender's externalId is (one of the contacts' channel types). */
  identityType(settings: Settings): string;
  capabilities(settings: Settings): Capabilities;
  /** False when nothing reaches the channel over /hooks/<channel id> (mail comes by SMTP or IMAP): the console shows no webhook URL. Default true. */
  hooks?: boolean;
  /** The provider's GET verification handshake; null refuses it. */
  handshake?(request: InboundRequest, channel: ChannelRuntime<Settings, Secrets>): HookAnswer | null;
  /** True when the request comes from the provider; called before anything is stored. */
  verify(request: InboundRequest, channel: ChannelRuntime<Settings, Secrets>): boolean;
  /** Normalised events of a verified request; throws (or rejects with) ChannelPayloadError on a body it cannot read. */
  parse(request: InboundRequest, channel: ChannelRuntime<Settings, Secrets>): NormalisedEvent[] | Promise<NormalisedEvent[]>;
  /** The answer the provider expects once the events are stored. */
  acknowledge?(events: readonly NormalisedEvent[]): HookAnswer;
  /** Sends one message; returns the provider's id for it, or throws ChannelError. */
  send(message: OutboundMessage, channel: ChannelRuntime<Settings, Secrets>, context: SendContext): Promise<{ providerMessageId: string }>;
  /** Downloads a file parse() returned as a MediaRef (use download.ts); throws ChannelError (retryable kinds are retried with backoff). */
  fetchMedia?(ref: string, channel: ChannelRuntime<Settings, Secrets>, context: MediaContext): Promise<FetchedMedia>;
  /** The facts of a stored follow / friend event (the event as parse() returned it); may call the provider; throws ChannelError. */
  relationFacts?(event: Readonly<Record<string, unknown>>, channel: ChannelRuntime<Settings, Secrets>, context: SendContext): Promise<RelationFacts>;
  /** Checks the credentials with a harmless call (Telegram getMe, LINE bot info); throws ChannelError with a `reason`. */
  testConnection?(channel: ChannelRuntime<Settings, Secrets>, context: SendContext): Promise<ConnectionInfo>;
  /** Registers the channel's hook URL at the provider (Telegram setWebhook); only for `setup.webhook === 'connect'`. Throws ChannelError. */
  connect?(channel: ChannelRuntime<Settings, Secrets>, context: ConnectContext): Promise<void>;
  /** The provider's catalogue of message templates (WhatsApp message_templates), for the composer; throws ChannelError. */
  templates?(channel: ChannelRuntime<Settings, Secrets>, context: SendContext): Promise<TemplateInfo[]>;
  /**
   * For a channel whose settings say `delivery: "polling"` (a machine the provider cannot reach):
   * the events after `cursor` (null: from the oldest the provider keeps) and the cursor after them
   * (Telegram getUpdates). Called by the worker instead of receiving at /hooks; throws ChannelError.
   */
  pollUpdates?(channel: ChannelRuntime<Settings, Secrets>, context: SendContext, cursor: string | null): Promise<{ events: NormalisedEvent[]; cursor: string | null }>;
  /**
   * Registers a live code's own entry at the provider, whose QR code brings the code back as the
   * arrival's `source` (WeCom 联系我 add_contact_way with `state`, an official account's permanent
   * parametric QR with the scene); throws ChannelError.
   */
  registerEntry?(entry: EntryRegistration, channel: ChannelRuntime<Settings, Secrets>, context: SendContext): Promise<RegisteredEntry>;
  /** The setup steps the console shows for this type. */
  setup?: SetupGuide;
  /**
   * The link that opens a chat with this account and hands `code` back as the follow's `source`
   * (Telegram: t.me/<bot>?start=<code>), for live codes; null when the settings cannot make one.
   */
  entryLink?(settings: Settings, code: string): string | null;
}

// The registry holds adapters of every settings type; `any` is only the erased generic.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyChannelAdapter = ChannelAdapter<any, any>;

export type ChannelErrorKind = 'auth' | 'rate_limited' | 'temporary' | 'permanent' | 'not_found';

/**
 * Why a provider call failed, as the console names it: a closed list of stable codes (messages'
 * `errorReason`, dead letters, the test-connection problem's `reason`). `kind` decides retries;
 * `reason` explains. Adapters set the most precise one they can tell from the provider's answer.
 */
export const channelErrorReasons = [
  /** The credentials are wrong or revoked (HTTP 401, bad bot token, bad channel access token). */
  'token_invalid',
  /** An access token expired (refreshed and retried first where the provider allows). */
  'token_expired',
  /** The provider's free-form reply window is over (WhatsApp 24 h, WeChat 48 h): a template is needed. */
  'outside_reply_window',
  /** The person blocked the account or unfollowed it. */
  'recipient_blocked',
  /** The person opted out of messages on this channel (SMS STOP): their consent says no. */
  'recipient_opted_out',
  /** No such chat, user or group on the provider (or the account is not in it). */
  'recipient_not_found',
  /** Too many requests: retried after the provider's wait. */
  'rate_limited',
  /** A monthly or daily quota is used up. */
  'quota_exceeded',
  /** The provider refused what we sent (bad request: too long, wrong media type). */
  'invalid_request',
  /** A file is larger than the provider or ATTACHMENT_MAX_BYTES allows. */
  'media_too_large',
  /** The target resolves to a private or loopback address, or is not http(s) (SSRF guard). */
  'target_refused',
  /** No answer, a timeout, or a 5xx: retried with backoff. */
  'provider_unavailable',
  /** Anything else the provider refused. */
  'provider_error',
] as const;
export type ChannelErrorReason = (typeof channelErrorReasons)[number];

const reasonOfKind: Record<ChannelErrorKind, ChannelErrorReason> = {
  auth: 'token_invalid',
  rate_limited: 'rate_limited',
  temporary: 'provider_unavailable',
  permanent: 'provider_error',
  not_found: 'recipient_not_found',
};

/** A failed send. The queue decides from `kind` alone: rate_limited and temporary are retried. */
export class ChannelError extends Error {
  readonly kind: ChannelErrorKind;
  readonly retryAfterMs: number | undefined;
  /** The stable reason the console shows; defaults from `kind`. */
  readonly reason: ChannelErrorReason;

  constructor(kind: ChannelErrorKind, message: string, options: { retryAfterMs?: number; cause?: unknown; reason?: ChannelErrorReason } = {}) {
    super(message, { cause: options.cause });
    this.name = 'ChannelError';
    this.kind = kind;
    this.retryAfterMs = options.retryAfterMs;
    this.reason = options.reason ?? reasonOfKind[kind];
  }

  get retryable() {
    return this.kind === 'rate_limited' || this.kind === 'temporary';
  }
}

/** A verified request whose body the adapter cannot read (answered 400, nothing stored). */
export class ChannelPayloadError extends Error {
  constructor(
    message: string,
    readonly errors: Array<{ path: string; message: string }> = [],
  ) {
    super(message);
    this.name = 'ChannelPayloadError';
  }
}
