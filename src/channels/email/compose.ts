// An agent's reply as a mail: our Message-ID (derived from the message's id, so a resend after a
// crash is the same mail), In-Reply-To and References from the customer's message it answers
// (PROTOCOLS.md §6.3), its subject with "Re:", a plain-text body and the same text as HTML, and
// the files; an automatic answer marked Auto-Submitted.
import type Mail from 'nodemailer/lib/mailer/index.js';
import type { OutboundMessage } from '../adapter.js';
import { messageIdDomainOf, type EmailSettings } from './settings.js';
import { idsIn, messageIdOf, replySubject } from './threading.js';
import { escapeHtml } from '../../platform/http/public-page.js';

/** Paragraphs at blank lines, line breaks kept. */
export const textToHtml = (text: string) =>
  text
    .split(/\r?\n\s*\r?\n/)
    .map((p) => `<p>${escapeHtml(p).replace(/\r?\n/g, '<br>')}</p>`)
    .join('\n');

export function composeMail(message: OutboundMessage, settings: EmailSettings): Mail.Options & { messageId: string } {
  const parent = message.inReplyTo;
  const context = parent?.replyContext ?? {};
  const subject = typeof context.subject === 'string' && context.subject.trim() ? replySubject(context.subject) : settings.subject;
  // Adapters before this one kept no chain: the parent's id alone still threads.
  const references = parent ? idsIn(Array.isArray(context.references) ? context.references.map(String) : undefined, parent.providerMessageId) : [];
  const text = message.content.text ?? '';
  return {
    from: { name: settings.displayName ?? '', address: settings.address },
    to: message.recipient.externalId,
    subject,
    messageId: messageIdOf(message.id, messageIdDomainOf(settings)),
    ...(parent ? { inReplyTo: parent.providerMessageId, references } : {}),
    // RFC 3834: an automatic answer says so, and the customer's own responder then stays silent.
    ...(message.automated ? { headers: { 'Auto-Submitted': 'auto-replied' } } : {}),
    text,
    html: textToHtml(text),
    attachments: message.attachments.map((a) => ({ filename: a.fileName, content: a.data, contentType: a.mimeType })),
  };
}
