// The generator's contract: same seed → byte-identical stream, and the shape of the data
// (names, phones, e-mails, skews) roughly as documented. No timings here (see bench/README.md).
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_UNTIL, E164, HISTORY_DAYS, customFieldDefinitions, eventTypes, generateEvents, generatePeople, lifecycleStages, tagVocabulary, type Person, type TimelineEvent } from './index.js';

const digest = (rows: Iterable<unknown>) => {
  const hash = createHash('sha256');
  for (const row of rows) hash.update(JSON.stringify(row) + '\n');
  return hash.digest('hex');
};

const people: Person[] = [...generatePeople({ seed: 7, count: 5000 })];
const events: TimelineEvent[] = [...generateEvents({ seed: 7, count: 5000 })];
const share = (n: number, of: number) => n / of;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('determinism', () => {
  it('gives byte-identical people and events for the same seed', () => {
    expect(digest(generatePeople({ seed: 7, count: 5000 }))).toBe(digest(people));
    expect(digest(generateEvents({ seed: 7, count: 5000 }))).toBe(digest(events));
  });

  it('differs across seeds', () => {
    expect(digest(generatePeople({ seed: 8, count: 200 }))).not.toBe(digest(people.slice(0, 200)));
  });

  it('makes row i depend only on (seed, i): prefixes and chunks agree with the full stream', () => {
    expect(digest(generatePeople({ seed: 7, count: 100 }))).toBe(digest(people.slice(0, 100)));
    expect(digest(generatePeople({ seed: 7, start: 1234, count: 50 }))).toBe(digest(people.slice(1234, 1284)));
  });

  it('is unaffected by interleaving two generators', () => {
    const a = generatePeople({ seed: 7, count: 300 });
    const b = generateEvents({ seed: 9, count: 50 });
    const fromA: Person[] = [];
    for (const p of a) {
      fromA.push(p);
      b.next();
    }
    expect(digest(fromA)).toBe(digest(people.slice(0, 300)));
  });

  it('rejects a seed that is not a 32-bit integer', () => {
    expect(() => generatePeople({ seed: 1.5, count: 1 }).next()).toThrow(RangeError);
  });
});

describe('people', () => {
  it('mixes Chinese and English names about 65/35', () => {
    const zh = people.filter((p) => p.nameKind === 'zh');
    expect(share(zh.length, people.length)).toBeGreaterThan(0.6);
    expect(share(zh.length, people.length)).toBeLessThan(0.7);
    for (const p of zh) expect(p.name).toMatch(/^[\u4e00-\u9fff]{2,4}$/);
    expect(zh.some((p) => p.familyName.length === 2)).toBe(true); // 欧阳, 司马…
    for (const p of people.filter((p) => p.nameKind === 'en')) expect(p.name).toBe(`${p.givenName} ${p.familyName}`);
  });

  it('gives valid E.164 phones, mostly Chinese mobiles, some +1/+44/+65/+81', () => {
    const phones = people.flatMap((p) => (p.phone ? [p.phone] : []));
    expect(share(phones.length, people.length)).toBeGreaterThan(0.85);
    for (const phone of phones) expect(phone).toMatch(E164);
    const cn = phones.filter((p) => p.startsWith('+86'));
    for (const phone of cn) expect(phone).toMatch(/^\+861[3-9]\d{9}$/);
    expect(share(cn.length, phones.length)).toBeGreaterThan(0.6);
    for (const code of ['+1', '+44', '+65', '+81']) expect(phones.some((p) => p.startsWith(code) && !p.startsWith('+86'))).toBe(true);
  });

  it('gives lower-case e-mails, some missing, ~2% shared on purpose', () => {
    const withEmail = people.filter((p) => p.email !== null);
    const missing = share(people.length - withEmail.length, people.length);
    expect(missing).toBeGreaterThan(0.1);
    expect(missing).toBeLessThan(0.35);
    for (const p of withEmail) expect(p.email).toMatch(/^[a-z0-9._-]+@[a-z0-9.-]+\.[a-z]+$/);
    const seen = new Set<string>();
    let repeats = 0;
    for (const p of withEmail) {
      if (seen.has(p.email!)) repeats++;
      seen.add(p.email!);
    }
    expect(share(repeats, withEmail.length)).toBeGreaterThan(0.01);
    expect(share(repeats, withEmail.length)).toBeLessThan(0.035);
    const duplicates = people.filter((p) => p.duplicateOf !== null);
    expect(duplicates.length).toBeGreaterThan(0);
    for (const p of duplicates) {
      expect(p.duplicateOf!).toBeLessThan(p.ref);
      expect(people[p.duplicateOf!]!.email).toBe(p.email);
    }
  });

  it('spreads created_at over two years before a fixed date', () => {
    const from = DEFAULT_UNTIL.getTime() - HISTORY_DAYS * 86_400_000;
    for (const p of people) {
      expect(p.createdAt.getTime()).toBeGreaterThanOrEqual(from);
      expect(p.createdAt.getTime()).toBeLessThanOrEqual(DEFAULT_UNTIL.getTime());
    }
    const firstYear = people.filter((p) => p.createdAt.getTime() < from + 365 * 86_400_000).length;
    expect(share(firstYear, people.length)).toBeGreaterThan(0.15);
    expect(share(firstYear, people.length)).toBeLessThan(0.5);
  });

  it('draws tags from the vocabulary with a Zipf-like skew', () => {
    const counts = new Map<string, number>();
    for (const p of people) {
      expect(new Set(p.tags).size).toBe(p.tags.length);
      for (const t of p.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    for (const t of counts.keys()) expect(tagVocabulary).toContain(t);
    const byRank = tagVocabulary.map((t) => counts.get(t) ?? 0);
    expect(byRank[0]!).toBeGreaterThan(3 * byRank[9]!);
    expect(byRank[0]!).toBeGreaterThan(byRank[4]!);
    expect(byRank[4]!).toBeGreaterThan(byRank[19]!);
  });

  it('fills every kind of custom field with well-formed values, and valid stages', () => {
    const options = (key: string) => customFieldDefinitions.find((d) => d.key === key) as { options: readonly string[] };
    for (const { customFields: c, lifecycleStage } of people) {
      if (c.wechat_id !== null) expect(c.wechat_id).toMatch(/^wxid_[a-z0-9]{12}$/);
      if (c.employees !== null) expect(Number.isInteger(c.employees) && c.employees >= 1).toBe(true);
      if (c.budget !== null) expect(Number.isInteger(c.budget.amountMinor) && c.budget.amountMinor > 0).toBe(true);
      if (c.birthday !== null) expect(c.birthday).toMatch(/^(19[6-9]\d|200[0-4])-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])$/);
      if (c.source !== null) expect(options('source').options).toContain(c.source);
      for (const i of c.interests) expect(options('interests').options).toContain(i);
      expect(lifecycleStages.map(([s]) => s)).toContain(lifecycleStage);
    }
    for (const key of ['wechat_id', 'employees', 'budget', 'birthday', 'source'] as const) {
      expect(people.some((p) => p.customFields[key] !== null)).toBe(true);
    }
    expect(new Set(people.map((p) => p.lifecycleStage)).size).toBe(lifecycleStages.length);
  });
});

describe('events', () => {
  const perContact = new Map<number, TimelineEvent[]>();
  for (const e of events) perContact.set(e.contactRef, [...(perContact.get(e.contactRef) ?? []), e]);
  const counts = people.map((p) => perContact.get(p.ref)?.length ?? 0);

  it('gives most contacts a few events and a heavy tail many', () => {
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(1);
    expect(median(counts)).toBeLessThanOrEqual(3);
    expect(Math.max(...counts)).toBeGreaterThan(100);
    const mean = events.length / people.length;
    expect(mean).toBeGreaterThan(3);
    expect(mean).toBeLessThan(12);
  });

  it('keeps each timeline in order, after the contact was created', () => {
    for (const p of people) {
      const timeline = perContact.get(p.ref) ?? [];
      timeline.forEach((e, i) => {
        expect(e.seq).toBe(i);
        expect(e.contactId).toBe(p.id);
        expect(e.occurredAt.getTime()).toBeGreaterThanOrEqual(p.createdAt.getTime());
        expect(e.occurredAt.getTime()).toBeLessThanOrEqual(DEFAULT_UNTIL.getTime());
        if (i > 0) expect(e.occurredAt.getTime()).toBeGreaterThanOrEqual(timeline[i - 1]!.occurredAt.getTime());
      });
    }
  });

  it('uses every type, with messages the most common', () => {
    const byType = new Map(eventTypes.map((t) => [t, events.filter((e) => e.type === t).length]));
    for (const t of eventTypes) expect(byType.get(t)).toBeGreaterThan(0);
    expect(Math.max(...byType.values())).toBe(byType.get('message'));
  });

  it('gives orders log-normal amounts: median near ¥300, a long right tail', () => {
    const yuan = events.flatMap((e) => (e.data.type === 'order' && e.data.amount.currency === 'CNY' ? [e.data.amount.amountMinor / 100] : []));
    for (const e of events) if (e.data.type === 'order') expect(Number.isInteger(e.data.amount.amountMinor) && e.data.amount.amountMinor > 0).toBe(true);
    expect(median(yuan)).toBeGreaterThan(200);
    expect(median(yuan)).toBeLessThan(450);
    expect(yuan.reduce((a, b) => a + b, 0) / yuan.length).toBeGreaterThan(median(yuan) * 1.2);
    expect(Math.max(...yuan)).toBeGreaterThan(10 * median(yuan));
  });
});
