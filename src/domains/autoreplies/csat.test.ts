// Satisfaction surveys: sent when an agent resolves, answered on the public page (once, in the
// browser's language, escaped) or by a bare digit reply (then not auto-answered), and the report's
// figures from known answers; another workspace's report sees none of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver, textEvent } from '../../../test/support/channel-world.js';
import { signedInOwner } from '../../../test/support/app.js';
import { autoreplyWorld, messagesOf, workspace, type AutoreplyWorld } from './test-world.js';

let w: AutoreplyWorld;
beforeAll(async () => (w = await autoreplyWorld()));
afterAll(() => w.close());

let n = 0;
const sentTo = (to: string) => w.provider.received.map((r) => r.json() as { to: string; text?: string }).filter((b) => b.to === to).map((b) => b.text ?? '');
const tokenIn = (text: string) => text.match(/https:\/\/renmai\.example\/csat\/([A-Za-z0-9_-]+)/)?.[1];

type Ws = Awaited<ReturnType<typeof workspace>>;

/** A customer writes, then the owner resolves the conversation; returns the customer and the conversation. */
async function resolved(ws: Ws) {
  const who = `csat-${++n}`;
  await deliver(w.t, ws.channelId, [textEvent(who, 'I need help')]);
  await w.settle();
  const conversation = (await ws.client.get('/api/v1/conversations')).json().items.find((c: { lastMessagePreview: string; id: string }) => c.lastMessagePreview === 'I need help').id as string;
  expect((await ws.client.post(`/api/v1/conversations/${conversation}/status`, { status: 'resolved' })).statusCode).toBe(200);
  await w.settle();
  return { who, conversation };
}

const form = (path: string, body: string, headers: Record<string, string> = {}) =>
  w.t.app.inject({ method: 'POST', url: path, payload: body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });

describe('satisfaction survey', () => {
  let ws: Ws;
  beforeAll(async () => {
    ws = await workspace(w, 'Survey');
    expect((await ws.client.put(`/api/v1/inbox/channel-settings/${ws.channelId}`, { csatEnabled: true })).statusCode).toBe(200);
    // Digits would otherwise be answered by this rule: a survey reply must not be.
    await ws.client.post('/api/v1/inbox/keyword-rules', { channelId: ws.channelId, matchKind: 'regex', pattern: '\\d', reply: 'a number!' });
  });

  it('is sent on resolve with a link; the page takes one answer, in the browser’s language', async () => {
    const { who } = await resolved(ws);
    const [survey] = sentTo(who);
    const token = tokenIn(survey!)!;
    expect(token).toHaveLength(64);
    const page = await w.t.app.inject({ url: `/csat/${token}`, headers: { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.body).toContain('服务评价');
    expect((await w.t.app.inject({ url: `/csat/${token}`, headers: { 'accept-language': 'en-US' } })).body).toContain('How did we do?');
    expect((await form(`/csat/${token}`, 'rating=9')).statusCode).toBe(400);
    const comment = '<script>alert(1)</script> 很好 & quick';
    const answered = await form(`/csat/${token}`, new URLSearchParams({ rating: '5', comment }).toString(), { 'accept-language': 'en' });
    expect(answered.statusCode).toBe(200);
    expect(answered.body).toContain('Thank you');
    expect(answered.body).not.toContain('<script>');
    const again = await form(`/csat/${token}`, 'rating=1', { 'accept-language': 'en' });
    expect(again.body).toContain('has been answered');
    // A token whose secret part is changed finds nothing.
    const forged = `${token.slice(0, 50)}${token[50] === 'A' ? 'B' : 'A'}${token.slice(51)}`;
    expect((await w.t.app.inject({ url: `/csat/${forged}` })).statusCode).toBe(404);
  });

  it('takes a bare digit reply as the answer, and does not auto-answer it', async () => {
    const { who } = await resolved(ws);
    expect(sentTo(who)).toHaveLength(1);
    await deliver(w.t, ws.channelId, [textEvent(who, ' ４ ')]);
    await w.settle();
    expect(sentTo(who)).toHaveLength(1);
    // Once answered, a digit is an ordinary message again.
    await deliver(w.t, ws.channelId, [textEvent(who, '3')]);
    await w.settle();
    expect(sentTo(who).at(-1)).toBe('a number!');
    // The replies reopened the conversation; resolving it again the same day asks no second time.
    const conversation = (await ws.client.get('/api/v1/conversations?status=open')).json().items[0].id;
    expect((await ws.client.post(`/api/v1/conversations/${conversation}/status`, { status: 'resolved' })).statusCode).toBe(200);
    await w.settle();
    expect(sentTo(who).filter((text) => tokenIn(text))).toHaveLength(1);
  });

  it('is not sent on a channel that does not ask', async () => {
    const quiet = await workspace(w, 'No survey');
    const { who } = await resolved(quiet);
    expect(sentTo(who)).toEqual([]);
    expect((await messagesOf(w, quiet.workspace.id)).filter((m) => m.direction === 'out')).toEqual([]);
  });

  it('reports response rate, average, distribution, per agent and team, and comments from the answers', async () => {
    await resolved(ws); // sent, never answered
    const report = (await ws.client.get('/api/v1/inbox/csat/report')).json();
    expect(report).toMatchObject({ sent: 3, answered: 2, average: 4.5, distribution: { 1: 0, 2: 0, 3: 0, 4: 1, 5: 1 } });
    expect(report.responseRate).toBeCloseTo(2 / 3);
    expect(report.byAgent).toEqual([expect.objectContaining({ memberId: ws.memberId, sent: 3, answered: 2, average: 4.5 })]);
    expect(report.byTeam).toEqual([expect.objectContaining({ teamId: null, sent: 3 })]);
    expect(report.comments.items).toEqual([expect.objectContaining({ rating: 5, comment: '<script>alert(1)</script> 很好 & quick', memberId: ws.memberId })]);
    const future = (await ws.client.get(`/api/v1/inbox/csat/report?from=${new Date(Date.now() + 3600_000).toISOString()}&to=${new Date(Date.now() + 7200_000).toISOString()}`)).json();
    expect(future).toMatchObject({ sent: 0, answered: 0, responseRate: null, average: null });
    const other = await signedInOwner(w.t, 'Other');
    expect((await other.client.get('/api/v1/inbox/csat/report')).json()).toMatchObject({ sent: 0, comments: { items: [] } });
  });
});
