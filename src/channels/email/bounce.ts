// What a bounce says: which of our messages it reports on and what happened to it. A delivery
// status notification (RFC 3464) carries per-recipient fields (Action, Status, Diagnostic-Code)
// and the original message or its headers (text/rfc822-headers, message/rfc822), whose
// Message-ID is ours. Older MTAs send plain text quoting the original; its Message-ID is then
// looked for in the text, and the mail's own In-Reply-To/References.
import type { ParsedMail } from 'mailparser';
import { answeredIds } from './threading.js';

export type BounceAction = 'failed' | 'delayed' | 'delivered';

export interface BounceReport {
  /** Our Message-ID the report is about; undefined when none can be found (nothing is recorded). */
  originalMessageId?: string;
  action: BounceAction;
  /** Why, for the message's last error: status code and the remote server's words. */
  reason: string;
}

const REPORT_TYPES = /^message\/(global-)?delivery-status$/i;
const ORIGINAL_TYPES = /^(text\/rfc822-headers|message\/(rfc822|global|global-headers))$/i;

const field = (text: string, name: string) => {
  const m = new RegExp(`^${name}:[ \\t]*([^\\n]*(?:\\n[ \\t]+[^\\n]*)*)`, 'mi').exec(text);
  return m?.[1]!.replace(/\s+/g, ' ').trim();
};

/** The Message-ID in a block of headers (the part before the first blank line). */
const messageIdIn = (text: string) => /^Message-ID:\s*(<[^<>\s]+>)/im.exec(text.split(/\r?\n\r?\n/)[0]!)?.[1];

function actionOf(value: string | undefined, text: string): BounceAction {
  const action = value?.toLowerCase();
  if (action === 'delivered' || action === 'relayed' || action === 'expanded') return 'delivered';
  if (action === 'delayed') return 'delayed';
  if (action === 'failed') return 'failed';
  // No report fields: a plain-text bounce. Warnings say they are still trying.
  return /\b(delayed|will (be )?retr|still trying|warning)\b/i.test(text) ? 'delayed' : 'failed';
}

export function bounceReport(mail: ParsedMail): BounceReport {
  const reports = mail.attachments.filter((a) => REPORT_TYPES.test(a.contentType)).map((a) => a.content.toString('utf8'));
  // mailparser reads a message/delivery-status part as text and appends it to `text`.
  const text = [mail.text ?? '', ...reports].join('\n');
  const originals = mail.attachments.filter((a) => ORIGINAL_TYPES.test(a.contentType)).map((a) => a.content.toString('utf8'));
  const quoted = /^Message-ID:\s*(<[^<>\s]+>)/im.exec(mail.text ?? '')?.[1];
  const originalMessageId = originals.map(messageIdIn).find(Boolean) ?? quoted ?? answeredIds(mail)[0];
  const status = field(text, 'Status');
  const diagnostic = field(text, 'Diagnostic-Code')?.replace(/^smtp;\s*/i, '');
  const summary = diagnostic ?? text.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 3).join(' ');
  return {
    originalMessageId,
    action: actionOf(field(text, 'Action'), text),
    reason: `Bounced${status ? ` (${status})` : ''}: ${summary || mail.subject || 'no reason given'}`.slice(0, 500),
  };
}
