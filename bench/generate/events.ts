// Timeline events per contact, streamed in contact order, oldest first within a contact.
// Counts are heavy-tailed like real CRMs: most contacts have a handful of events, a few have
// hundreds (the long-time customer, the chatty group member).
import type { Faker } from '@faker-js/faker';
import { DEFAULT_UNTIL, generatePeople, type Money, type Person } from './people.js';
import { Stream, chance, checkSeed, logNormal, pad, rowFaker, unit, weighted, zhFaker, enFaker } from './random.js';
import { currencyOf } from './vocabulary.js';

export const eventTypes = ['note', 'call', 'message', 'order', 'code_scan', 'form_submission'] as const;
export type EventType = (typeof eventTypes)[number];

const typeWeights: ReadonlyArray<readonly [EventType, number]> = [
  ['message', 40],
  ['note', 15],
  ['order', 15],
  ['call', 12],
  ['code_scan', 10],
  ['form_submission', 8],
];

export type EventData =
  | { type: 'note'; body: string }
  | { type: 'call'; direction: 'inbound' | 'outbound'; durationSeconds: number; outcome: 'connected' | 'no_answer' | 'voicemail' }
  | { type: 'message'; channel: 'wechat' | 'whatsapp' | 'sms' | 'email' | 'line'; direction: 'inbound' | 'outbound'; text: string }
  | { type: 'order'; orderNo: string; amount: Money; items: number }
  | { type: 'code_scan'; code: string; campaign: string }
  | { type: 'form_submission'; form: string; fields: Record<string, string> };

export interface TimelineEvent {
  contactRef: number;
  contactId: string;
  /** Position within the contact's timeline, oldest first. */
  seq: number;
  type: EventType;
  occurredAt: Date;
  data: EventData;
}

/** Cap on one contact's events, so a single unlucky draw cannot dominate a run. */
export const MAX_EVENTS_PER_CONTACT = 1000;

/**
 * Discrete Pareto (alpha 1.3, scale 2): every contact has at least one event, P(n ≥ k) =
 * ((k+1)/2)^-1.3, so the median is 2, about 70% have three or fewer, ~0.6% have more than 100,
 * and the mean is about 6.
 */
function eventCount(f: Faker): number {
  const u = 1 - unit(f); // (0, 1]
  return Math.min(MAX_EVENTS_PER_CONTACT, Math.floor(2 * u ** (-1 / 1.3)) - 1);
}

const campaigns = ['spring-fair', 'store-poster', 'livestream', 'package-insert', 'trade-show', 'menu-table'];
const forms = ['contact-us', 'demo-request', 'newsletter', 'event-signup', 'survey'];

function dataFor(f: Faker, type: EventType, person: Person, occurredAt: Date): EventData {
  const zh = person.nameKind === 'zh';
  switch (type) {
    case 'note':
      return { type, body: zh ? `${f.helpers.arrayElement(['电话沟通', '拜访', '微信聊天', '展会交流'])}：${f.helpers.arrayElement(['对报价有兴趣', '需要下周跟进', '要求发送资料', '已转介绍同事', '预算待确认'])}` : f.lorem.sentence() };
    case 'call':
      return { type, direction: chance(f, 0.6) ? 'outbound' : 'inbound', durationSeconds: Math.round(logNormal(f, 120, 1)), outcome: weighted(f, [['connected', 65], ['no_answer', 25], ['voicemail', 10]] as const) };
    case 'message': {
      const channel = zh || person.country === 'CN' ? weighted(f, [['wechat', 85], ['sms', 10], ['email', 5]] as const) : weighted(f, [['whatsapp', 40], ['email', 30], ['sms', 15], ['line', 15]] as const);
      return { type, channel, direction: chance(f, 0.55) ? 'inbound' : 'outbound', text: zh ? f.helpers.arrayElement(['你好，请问还有货吗？', '收到，谢谢！', '价格能再优惠点吗', '明天下午方便通话吗？', '好的👌']) : f.lorem.sentence({ min: 3, max: 10 }) };
    }
    case 'order': {
      const currency = currencyOf[person.country];
      // Log-normal, median ¥300 (or 300 units of the local currency): many small orders, a few large.
      const major = Math.max(1, logNormal(f, currency === 'JPY' ? 4000 : 300, 1));
      const amountMinor = currency === 'JPY' ? Math.round(major) : Math.round(major * 100);
      return { type, orderNo: `SO${occurredAt.toISOString().slice(0, 10).replaceAll('-', '')}${pad(f.number.int({ min: 0, max: 999_999 }), 6)}`, amount: { amountMinor, currency }, items: Math.max(1, Math.round(logNormal(f, 1.5, 0.6))) };
    }
    case 'code_scan':
      return { type, code: `QR-${f.string.alphanumeric({ length: 8, casing: 'upper' })}`, campaign: f.helpers.arrayElement(campaigns) };
    case 'form_submission':
      return { type, form: f.helpers.arrayElement(forms), fields: { message: zh ? '想了解产品价格' : f.lorem.words(4) } };
  }
}

/** A contact's events between its created_at and `until`, oldest first. */
export function eventsFor(seed: number, person: Person, until = DEFAULT_UNTIL): TimelineEvent[] {
  const f = rowFaker(person.nameKind === 'zh' ? zhFaker : enFaker, seed, person.ref, Stream.events);
  const n = eventCount(f);
  const from = person.createdAt.getTime();
  const span = Math.max(0, until.getTime() - from);
  const times = Array.from({ length: n }, () => from + Math.floor(unit(f) * span)).sort((a, b) => a - b);
  // Every draw for this contact happens here, before the caller's first yield (see rowFaker).
  return times.map((t, seq) => {
    const occurredAt = new Date(t);
    const type = weighted(f, typeWeights);
    return { contactRef: person.ref, contactId: person.id, seq, type, occurredAt, data: dataFor(f, type, person, occurredAt) };
  });
}

export interface EventsOptions {
  seed: number;
  /** Contacts whose events to produce (refs start..start+count-1, as generatePeople). */
  count: number;
  start?: number;
  until?: Date;
}

/** Streams the events of `count` contacts; only one contact's events are in memory at a time. */
export function* generateEvents({ seed, count, start = 0, until = DEFAULT_UNTIL }: EventsOptions): Generator<TimelineEvent> {
  checkSeed(seed);
  for (const person of generatePeople({ seed, count, start, until })) yield* eventsFor(seed, person, until);
}
