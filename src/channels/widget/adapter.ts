// The live-chat widget ("widget"): the company's own website, where Renmai is the provider.
// Visitors never post to /hooks: they talk to /widget/v1 (src/domains/widget), which builds the
// inbound messages itself, and agents' replies reach them through the realtime notices the inbox
// already publishes. So there is nothing to verify, parse or call here: the adapter holds the
// settings, the identity-verification secret and the capabilities. Protocol: README.md here.
import { z } from 'zod';
import type { ChannelAdapter } from '../adapter.js';
import { ChannelPayloadError } from '../adapter.js';

/** `https://shop.example` or `https://*.shop.example` (any subdomain); no path, no trailing slash. */
const origin = z
  .string()
  .trim()
  .max(300)
  .regex(/^https?:\/\/(\*\.)?[a-z0-9.-]+(:\d{1,5})?$/i, 'an origin such as https://shop.example (scheme, host, optional port; *.host for subdomains)')
  .transform((o) => o.toLowerCase());

const colour = z.string().regex(/^#[0-9a-f]{6}$/i, 'a colour as #rrggbb');
const text = (max: number) => z.string().trim().max(max);

/** One text per language the widget speaks; missing ones fall back to the other language. */
const localized = (max: number) => z.strictObject({ en: text(max).optional(), 'zh-CN': text(max).optional() });

const prechatField = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and _'),
  kind: z.enum(['name', 'email', 'phone', 'text']),
  label: localized(100).default({}),
  required: z.boolean().default(false),
});

export const widgetSettings = z.strictObject({
  /** Sites that may embed the widget: checked on every visitor request and socket (CORS). */
  allowedOrigins: z.array(origin).min(1).max(50),
  colors: z.strictObject({ primary: colour.default('#1677ff'), text: colour.default('#ffffff') }).default({ primary: '#1677ff', text: '#ffffff' }),
  greeting: localized(500).default({}),
  /** Shown when no agent of the channel's team is online; the widget then asks for an e-mail. */
  offlineMessage: localized(500).default({}),
  prechat: z
    .strictObject({ enabled: z.boolean().default(false), fields: z.array(prechatField).max(10).default([]) })
    .default({ enabled: false, fields: [] })
    .refine((p) => new Set(p.fields.map((f) => f.key)).size === p.fields.length, 'field keys must be unique'),
  /** `required`: only visitors the site vouches for (userId + userHash) may chat. */
  identityVerification: z.enum(['optional', 'required']).default('optional'),
});

export const widgetSecrets = z.strictObject({
  /** HMAC-SHA256 key the site signs its user ids with (identity.ts); without it, no visitor can be verified. */
  identitySecret: z.string().min(16).max(200).optional(),
});

export type WidgetSettings = z.infer<typeof widgetSettings>;
export type WidgetSecrets = z.infer<typeof widgetSecrets>;

const KINDS = ['text', 'image', 'file'] as const;

const refuse = () => {
  throw new ChannelPayloadError('Widget visitors post to /widget/v1, not to /hooks');
};

export const widgetAdapter = {
  type: 'widget',
  settings: widgetSettings,
  secrets: widgetSecrets,
  identityType: () => 'web_visitor',
  hooks: false,
  capabilities: () => ({ messageKinds: KINDS, templates: false, replyWindowMs: null, rateLimit: { perSecond: 50, burst: 100 } }),
  verify: () => false,
  parse: refuse,
  // No provider to call: the visitor's socket gets the inbox's notice for the message, and the
  // widget reads it over HTTP. Renmai's id is the provider's id.
  send: async (message) => ({ providerMessageId: message.id }),
} satisfies ChannelAdapter<WidgetSettings, WidgetSecrets>;
