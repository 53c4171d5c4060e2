// One raw RFC 5322 message → normalised events. A person's mail is one message event: its
// Message-ID is both the event id (stored once) and the provider message id; the sender's
// address (Reply-To, else From) is the thread key and the identity; the ids it answers let the
// inbox put it in the conversation they belong to. A bounce is a status event on the message it
// reports, never a message. Mail from the channel's own address is ignored (our copy came back).
import { createHash } from 'node:crypto';
import { simpleParser, type AddressObject, type Attachment, type EmailAddress, type ParsedMail } from 'mailparser';
import { ChannelPayloadError, type InboundAttachment, type InboundMessage, type NormalisedEvent } from '../adapter.js';
import { automatedKind, type HeaderView } from './automated.js';
import { bounceReport } from './bounce.js';
import { sanitiseHtml } from './sanitise.js';
import type { EmailSettings } from './settings.js';
import { answeredIds, idsIn, replyChain } from './threading.js';

const MAX_TEXT = 100_000;
/** Larger HTML is not sanitised (and not kept): the text stays. */
const MAX_HTML = 2_000_000;

function headerView(mail: ParsedMail, from: string | undefined): HeaderView {
  const values = new Map<string, string>();
  for (const { key, line } of mail.headerLines) {
    if (!values.has(key)) values.set(key, line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim());
  }
  const type = mail.headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  return { get: (name) => values.get(name), contentType: type?.value?.toLowerCase() ?? 'text/plain', reportType: type?.params?.['report-type'], from };
}

const firstAddress = (field: AddressObject | AddressObject[] | undefined): EmailAddress | undefined =>
  (Array.isArray(field) ? field : field ? [field] : []).flatMap((o) => o.value).find((v) => v.address?.includes('@'));

const extension = (mime: string) => (/^[a-z]+\/([a-z0-9]+)/i.exec(mime)?.[1] ?? 'bin').toLowerCase();

/** Files with a name each (one per message): inline images are referred to by it in the HTML. */
function filesOf(attachments: Attachment[]): Array<InboundAttachment & { cid?: string }> {
  const taken = new Set<string>();
  return attachments.map((a, i) => {
    const wanted = a.filename?.trim() || `${a.cid ? 'inline' : 'attachment'}-${i + 1}.${extension(a.contentType)}`;
    let name = wanted;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = wanted.replace(/(\.[^.]*)?$/, (ext) => `-${n}${ext}`);
    taken.add(name.toLowerCase());
    return { fileName: name, mimeType: a.contentType, data: a.content, cid: a.cid };
  });
}

/** `cid:<Content-ID>` images → `cid:<file name>`, the name the message's attachment keeps. */
function pointInlineImages(html: string, files: Array<{ fileName: string; cid?: string }>) {
  const byCid = new Map(files.filter((f) => f.cid).map((f) => [f.cid!.toLowerCase(), f.fileName]));
  return html.replace(/(["'])cid:([^"']+)\1/gi, (whole, quote: string, cid: string) => {
    const name = byCid.get(decodeURIComponent(cid).toLowerCase());
    return name ? `${quote}cid:${encodeURIComponent(name)}${quote}` : whole;
  });
}

function bounceEvents(mail: ParsedMail, eventId: string, occurredAt: Date): NormalisedEvent[] {
  const report = bounceReport(mail);
  // A delay warning changes nothing; a report on a message we cannot name records nothing.
  if (!report.originalMessageId || report.action === 'delayed') return [];
  const failed = report.action === 'failed';
  return [
    {
      kind: 'status',
      providerEventId: eventId,
      threadKey: report.originalMessageId,
      occurredAt,
      providerMessageId: report.originalMessageId,
      status: failed ? 'failed' : 'delivered',
      ...(failed ? { error: report.reason } : {}),
    },
  ];
}

function messageEvent(mail: ParsedMail, eventId: string, occurredAt: Date, sender: EmailAddress, automated: InboundMessage['automated']): InboundMessage {
  const files = filesOf(mail.attachments);
  const text = (mail.text ?? '').trim().slice(0, MAX_TEXT);
  const html = typeof mail.html === 'string' && mail.html.length <= MAX_HTML ? sanitiseHtml(pointInlineImages(mail.html, files)) : '';
  const subject = mail.subject?.trim().slice(0, 998) ?? '';
  const address = sender.address!.toLowerCase();
  return {
    kind: 'message',
    providerEventId: eventId,
    threadKey: address,
    occurredAt,
    // Not verified: nothing here checks SPF, DKIM or DMARC, and anyone can write any From.
    sender: { externalId: address, email: address, emailVerified: false, ...(sender.name?.trim() ? { displayName: sender.name.trim().slice(0, 200) } : {}) },
    providerMessageId: eventId,
    content: {
      kind: text ? 'text' : files.some((f) => f.mimeType.startsWith('image/')) ? 'image' : files.length ? 'file' : 'text',
      text: text || subject,
      ...(html ? { html } : {}),
      ...(subject ? { subject } : {}),
    },
    attachments: files.map(({ cid: _cid, ...file }) => file),
    references: answeredIds(mail),
    ...(automated ? { automated } : {}),
    replyContext: { subject, references: replyChain({ messageId: eventId, inReplyTo: mail.inReplyTo, references: mail.references }) },
  };
}

export async function parseMail(raw: Buffer, settings: Pick<EmailSettings, 'address'>): Promise<NormalisedEvent[]> {
  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, { skipImageLinks: true, skipTextLinks: true, skipTextToHtml: true });
  } catch (error) {
    throw new ChannelPayloadError(`The message cannot be read as MIME: ${(error as Error).message}`);
  }
  // A message without a Message-ID gets one from its bytes, so a redelivery is still the same event.
  const eventId = idsIn(mail.messageId)[0] ?? `<${createHash('sha256').update(raw).digest('hex').slice(0, 40)}@renmai.invalid>`;
  // When it reached us, not its Date header: that is the sender's clock, and the conversation
  // must read in the order mail arrived, our replies between.
  const occurredAt = new Date();
  const from = firstAddress(mail.from);
  const automated = automatedKind(headerView(mail, from?.address));
  if (automated === 'bounce') return bounceEvents(mail, eventId, occurredAt);
  const sender = firstAddress(mail.replyTo) ?? from;
  if (!sender) throw new ChannelPayloadError('The message has no sender address (From or Reply-To)');
  if (sender.address!.toLowerCase() === settings.address || from?.address?.toLowerCase() === settings.address) return [];
  return [messageEvent(mail, eventId, occurredAt, sender, automated)];
}
