// Automatic replies end to end: signed webhooks in, the outbox dispatched to the handler, the
// inbox's send job POSTing to the fake provider. Keyword rules, welcome, away, the loop guards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver, textEvent } from '../../../test/support/channel-world.js';
import { FUSE_PER_HOUR } from './on-events.js';
import { autoreplyWorld, messagesOf, workspace, type AutoreplyWorld } from './test-world.js';

let w: AutoreplyWorld;
beforeAll(async () => (w = await autoreplyWorld()));
afterAll(() => w.close());

let n = 0;
const customer = () => `cust-${++n}-${Date.now()}`;
/** Texts the fake provider was asked to send to one customer, in order. */
const sentTo = (to: string) => w.provider.received.map((r) => r.json() as { to: string; text?: string }).filter((b) => b.to === to).map((b) => b.text);

async function say(ws: { channelId: string }, from: string, text: string) {
  expect((await deliver(w.t, ws.channelId, [textEvent(from, text)])).statusCode).toBe(200);
  await w.settle();
}

describe('keyword rules', () => {
  it('answers exact, contains and regex matches; the first rule by position wins; one answer per message', async () => {
    const ws = await workspace(w, 'Keywords');
    const rule = (body: Record<string, unknown>) => ws.client.post('/api/v1/inbox/keyword-rules', { channelId: ws.channelId, ...body });
    expect((await rule({ position: 3, matchKind: 'contains', pattern: 'price', reply: 'Prices: see our site.' })).statusCode).toBe(201);
    expect((await rule({ position: 1, matchKind: 'exact', pattern: 'Hours?', reply: 'We open 9–18.' })).statusCode).toBe(201);
    expect((await rule({ position: 2, matchKind: 'regex', pattern: '^order\\s*#?\\d{4,}$', reply: 'Looking up your order.' })).statusCode).toBe(201);
    // Both the regex (position 2) and the contains rule (3) match the last message: the regex wins.
    expect((await rule({ position: 2, matchKind: 'regex', pattern: 'price.*(list|table)', reply: 'Here is the price list.' })).statusCode).toBe(201);
    const who = customer();
    await say(ws, who, 'hours?');
    await say(ws, who, 'Opening hours?');
    await say(ws, who, 'ORDER #12345');
    await say(ws, who, 'What is the price?');
    await say(ws, who, 'price list please');
    expect(sentTo(who)).toEqual(['We open 9–18.', 'Looking up your order.', 'Prices: see our site.', 'Here is the price list.']);
    const auto = (await messagesOf(w, ws.workspace.id)).filter((m) => m.direction === 'out');
    expect(auto.every((m) => m.automated === 'auto_reply' && m.automation === 'keyword' && m.author_member_id === null && m.status === 'sent')).toBe(true);
    // Automatic answers leave the customer waiting for a person.
    const conversation = (await ws.client.get('/api/v1/conversations')).json().items[0];
    expect(conversation.waitingSince).not.toBeNull();
    const thread = (await ws.client.get(`/api/v1/conversations/${conversation.id}/messages`)).json().items;
    expect(thread.filter((m: { direction: string }) => m.direction === 'out').every((m: { automated: string }) => m.automated === 'auto_reply')).toBe(true);
  });

  it('refuses a regular expression RE2 cannot run, with a stable reason, and lists rules by channel and position', async () => {
    const ws = await workspace(w, 'Regex');
    for (const pattern of ['(unclosed', '(?<=x)y', '(a)\\1']) {
      const res = await ws.client.post('/api/v1/inbox/keyword-rules', { channelId: ws.channelId, matchKind: 'regex', pattern, reply: 'x' });
      expect(res.statusCode, pattern).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ code: 'validation_failed', reason: 'invalid_regex', errors: [{ path: 'pattern' }] });
    }
    const tooLong = await ws.client.post('/api/v1/inbox/keyword-rules', { channelId: ws.channelId, matchKind: 'regex', pattern: 'a'.repeat(201), reply: 'x' });
    expect(tooLong.statusCode).toBe(400);
    const ok = (await ws.client.post('/api/v1/inbox/keyword-rules', { channelId: ws.channelId, matchKind: 'contains', pattern: 'x', reply: 'y' })).json().rule;
    const patched = await ws.client.patch(`/api/v1/inbox/keyword-rules/${ok.id}`, { matchKind: 'regex', pattern: '(a+)+$' });
    // Nested quantifiers are fine under RE2: matching stays linear.
    expect(patched.statusCode).toBe(200);
    expect((await ws.client.patch(`/api/v1/inbox/keyword-rules/${ok.id}`, { pattern: '(?=a)' })).json()).toMatchObject({ reason: 'invalid_regex' });
    const list = (await ws.client.get(`/api/v1/inbox/keyword-rules?channelId=${ws.channelId}`)).json();
    expect(list.items.map((r: { id: string }) => r.id)).toEqual([ok.id]);
    expect((await ws.client.delete(`/api/v1/inbox/keyword-rules/${ok.id}`)).statusCode).toBe(204);
  });

  it('a rule whose pattern would backtrack catastrophically answers at once', async () => {
    const ws = await workspace(w, 'Redos');
    // Exponential for a backtracking engine on words followed by a character that fails the match.
    await ws.client.post('/api/v1/inbox/keyword-rules', { channelId: ws.channelId, matchKind: 'regex', pattern: '^(\\w+\\s?)+$', reply: 'only words' });
    const who = customer();
    await say(ws, who, `${'word '.repeat(500)}!`);
    await say(ws, who, 'just words here');
    expect(sentTo(who)).toEqual(['only words']);
  });
});

describe('no loops', () => {
  it('never answers our own automatic messages, and stops a peer that auto-answers without saying so', async () => {
    const ws = await workspace(w, 'Loop');
    await ws.client.post('/api/v1/inbox/keyword-rules', { channelId: ws.channelId, matchKind: 'contains', pattern: 'hello', reply: 'hello! an agent will be with you' });
    const bot = customer();
    // The peer answers every message with one containing "hello", as a bot on the other side would.
    for (let i = 0; i < FUSE_PER_HOUR + 5; i++) await say(ws, bot, `hello #${i}`);
    expect(sentTo(bot)).toHaveLength(FUSE_PER_HOUR);
    const messages = await messagesOf(w, ws.workspace.id);
    expect(messages.filter((m) => m.direction === 'in')).toHaveLength(FUSE_PER_HOUR + 5);
    // Each automatic message answered a customer's message; none was itself answered.
    expect(messages.filter((m) => m.direction === 'out')).toHaveLength(FUSE_PER_HOUR);
  });
});

describe('welcome message', () => {
  it('greets a contact once per channel: on the first conversation, not again on a follow', async () => {
    const ws = await workspace(w, 'Welcome');
    expect((await ws.client.put(`/api/v1/inbox/channel-settings/${ws.channelId}`, { welcomeMessage: 'Welcome to Acme!' })).statusCode).toBe(200);
    const who = customer();
    await say(ws, who, 'hi');
    await say(ws, who, 'anyone?');
    await deliver(w.t, ws.channelId, [{ id: `f-${who}`, type: 'follow', from: { id: who } }]);
    await w.settle();
    expect(sentTo(who)).toEqual(['Welcome to Acme!']);
  });

  it('greets someone who follows before writing, in a conversation that their first message then joins', async () => {
    const ws = await workspace(w, 'Follow');
    await ws.client.put(`/api/v1/inbox/channel-settings/${ws.channelId}`, { welcomeMessage: '欢迎关注！' });
    const who = customer();
    await deliver(w.t, ws.channelId, [{ id: `f-${who}`, type: 'follow', from: { id: who, name: 'Fan' } }]);
    await w.settle();
    expect(sentTo(who)).toEqual(['欢迎关注！']);
    await say(ws, who, 'hello');
    expect(sentTo(who)).toEqual(['欢迎关注！']);
    const conversations = (await ws.client.get('/api/v1/conversations')).json().items;
    expect(conversations).toHaveLength(1);
    expect((await messagesOf(w, ws.workspace.id)).map((m) => m.direction)).toEqual(['out', 'in']);
  });

  it('an arrival through a live code gets the code’s welcome instead of the channel’s; a blocked name gets none, not even later', async () => {
    const ws = await workspace(w, 'Code welcome');
    await ws.client.put(`/api/v1/inbox/channel-settings/${ws.channelId}`, { welcomeMessage: 'Channel welcome' });
    const code = await ws.client.post('/api/v1/live-codes', {
      name: 'Fair',
      channelId: ws.channelId,
      staff: [{ memberId: ws.memberId }],
      welcomeMessage: '展会专属欢迎！',
      welcomeBlockedNames: ['推广', 'SPAM'],
    });
    expect(code.statusCode, code.body).toBe(201);
    const { slug } = code.json().liveCode;
    const [fan, spammer, plain] = [customer(), customer(), customer()];
    await deliver(w.t, ws.channelId, [
      { id: `f-${fan}`, type: 'follow', from: { id: fan, name: 'Fan' }, source: slug },
      { id: `f-${spammer}`, type: 'follow', from: { id: spammer, name: '微商推广小王' }, source: slug },
      { id: `f-${plain}`, type: 'follow', from: { id: plain }, source: 'not-a-code' },
    ]);
    await w.settle();
    await say(ws, spammer, 'hello');
    expect(sentTo(fan)).toEqual(['展会专属欢迎！']);
    expect(sentTo(spammer)).toEqual([]);
    expect(sentTo(plain)).toEqual(['Channel welcome']);
  });
});

describe('business hours', () => {
  async function withHours(name: string, hours: Record<string, unknown>) {
    const ws = await workspace(w, name);
    const team = (await ws.client.post('/api/v1/teams', { name: `${name} team` })).json().team.id;
    expect((await ws.client.patch(`/api/v1/channels/${ws.channelId}`, { teamId: team })).statusCode).toBe(200);
    const res = await ws.client.put(`/api/v1/inbox/business-hours/${team}`, { awayMessage: 'We are closed; we answer from 9:00.', ...hours });
    expect(res.statusCode, res.body).toBe(200);
    return { ...ws, team, hours: res.json().hours };
  }
  /** Today's local date and weekday in a zone. */
  const today = (timeZone: string) => {
    const date = new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date());
    return { date, day: new Date(`${date}T00:00:00Z`).getUTCDay() };
  };

  it('sends the away message once per closed period when a customer writes outside hours', async () => {
    const tz = 'Asia/Shanghai';
    // Open three days from today only: closed now.
    const ws = await withHours('Away', { timezone: tz, weekly: [{ day: (today(tz).day + 3) % 7, open: '09:00', close: '18:00' }] });
    expect(ws.hours.openNow).toBe(false);
    const who = customer();
    await say(ws, who, 'hello?');
    await say(ws, who, 'still there?');
    expect(sentTo(who)).toEqual(['We are closed; we answer from 9:00.']);
    expect((await messagesOf(w, ws.workspace.id)).filter((m) => m.direction === 'out').map((m) => m.automation)).toEqual(['away']);
  });

  it('is quiet within hours, and away on a closed date (holiday)', async () => {
    const tz = 'America/New_York';
    const allWeek = [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, open: '00:00', close: '24:00' }));
    const open = await withHours('Open', { timezone: tz, weekly: allWeek });
    expect(open.hours.openNow).toBe(true);
    const who = customer();
    await say(open, who, 'hello');
    expect(sentTo(who)).toEqual([]);
    const holiday = await withHours('Holiday', { timezone: tz, weekly: allWeek, closedDates: [today(tz).date] });
    const other = customer();
    await say(holiday, other, 'hello');
    expect(sentTo(other)).toEqual(['We are closed; we answer from 9:00.']);
  });

  it('refuses an unknown time zone and an interval that closes before it opens', async () => {
    const ws = await workspace(w, 'Bad hours');
    const team = (await ws.client.post('/api/v1/teams', { name: 'T' })).json().team.id;
    const zone = await ws.client.put(`/api/v1/inbox/business-hours/${team}`, { timezone: 'Mars/Olympus', weekly: [], awayMessage: 'x' });
    expect(zone.json()).toMatchObject({ code: 'validation_failed', errors: [{ path: 'timezone' }] });
    const interval = await ws.client.put(`/api/v1/inbox/business-hours/${team}`, { timezone: 'UTC', weekly: [{ day: 1, open: '18:00', close: '09:00' }], awayMessage: 'x' });
    expect(interval.statusCode).toBe(400);
  });
});
