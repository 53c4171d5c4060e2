// The e-mail channel ("email"): replies go out over the channel's SMTP server; mail comes in by
// the built-in SMTP listener or by polling a mailbox over IMAP (listener.ts, imap.ts), both
// handing the raw message to `parse`. Nothing arrives over HTTP: /hooks refuses every request.
// Protocol, threading and setup: README.md.
import { ChannelPayloadError, type ChannelAdapter } from '../adapter.js';
import { parseMail } from './parse.js';
import { sendMail } from './send.js';
import { emailSecrets, emailSettings, type EmailSecrets, type EmailSettings } from './settings.js';

export const emailAdapter = {
  type: 'email',
  settings: emailSettings,
  secrets: emailSecrets,
  identityType: () => 'email',
  hooks: false,
  capabilities: () => ({
    messageKinds: ['text', 'image', 'file', 'audio', 'video'] as const,
    templates: false,
    replyWindowMs: null,
    rateLimit: { perSecond: 5, burst: 20 },
  }),

  // Mail is delivered by SMTP or fetched by IMAP, which vouch for it by how it came; an HTTP
  // request to the channel's hook is nobody the channel knows.
  verify: () => false,

  async parse(request, channel) {
    if (!request.rawBody.length) throw new ChannelPayloadError('The message is empty');
    return parseMail(request.rawBody, channel.settings);
  },

  send: sendMail,
} satisfies ChannelAdapter<EmailSettings, EmailSecrets>;
