// Aliyun SMS's HTTP batch push (消息回执, HTTP 批量推送模式) as normalised events: delivery receipts
// (SmsReport) become status updates of the messages Renmai sent (by BizId), replies (SmsUp)
// become inbound messages. Both are JSON arrays; one hook URL takes both, told apart by their
// fields. Field names as PROTOCOLS.md §7.2 lists them (marked unverified there: Aliyun's own
// pages are the source, no SDK parses them). Times are Beijing time without a zone.
import { z } from 'zod';
import type { NormalisedEvent } from '../adapter.js';
import { readJsonBody } from '../json-body.js';
import { consentOfText, e164, smsSender, type KeywordSettings } from '../sms.js';

const id = z.union([z.string().min(1).max(200), z.number()]).transform(String);

const report = z.object({
  phone_number: z.string(),
  success: z.boolean(),
  biz_id: id,
  report_time: z.string().optional(),
  send_time: z.string().optional(),
  err_code: z.string().optional(),
  err_msg: z.string().optional(),
  out_id: z.string().optional(),
});
const up = z.object({
  phone_number: z.string(),
  content: z.string(),
  sequence_id: id,
  send_time: z.string().optional(),
  sign_name: z.string().optional(),
  dest_code: z.string().optional(),
});
const body = z.array(z.union([report, up])).max(1000);

/** "2017-02-02 11:12:13", Beijing time (UTC+8); now when absent or unreadable. */
export function beijingTime(text: string | undefined): Date {
  const m = text && /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})$/.exec(text.trim());
  const at = m ? new Date(`${m[1]}T${m[2]}+08:00`) : undefined;
  return at && !Number.isNaN(at.getTime()) ? at : new Date();
}

/** Mainland numbers come without +86. */
const phoneOf = (raw: string) => e164(raw, 'CN');

export function eventsOf(raw: Buffer, keywords: KeywordSettings): NormalisedEvent[] {
  return readJsonBody(raw, body, 'an Aliyun SMS report or reply push').flatMap((item): NormalisedEvent[] => {
    const phone = phoneOf(item.phone_number);
    if (!phone) return [];
    if ('biz_id' in item) {
      const base = { kind: 'status' as const, providerEventId: `report:${item.biz_id}:${phone}`, threadKey: phone, occurredAt: beijingTime(item.report_time), providerMessageId: item.biz_id };
      if (item.success) return [{ ...base, status: 'delivered' }];
      return [{ ...base, status: 'failed', error: `Aliyun: ${[item.err_code, item.err_msg].filter(Boolean).join(' ') || 'not delivered'}`, reason: 'provider_error' }];
    }
    const consent = consentOfText(item.content, keywords);
    const messageId = `up:${item.sequence_id}`;
    return [
      {
        kind: 'message',
        providerEventId: messageId,
        threadKey: phone,
        occurredAt: beijingTime(item.send_time),
        sender: smsSender(phone),
        providerMessageId: messageId,
        content: { kind: 'text', text: item.content },
        attachments: [],
        ...(consent ? { consent } : {}),
      },
    ];
  });
}
