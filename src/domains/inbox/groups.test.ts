// Group conversations: one conversation per group, each message with its sender, participants
// who join and leave, replies to the group, and a merge that keeps a person's place in a group.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver, inboxWorld, runJobs, textEvent, workspaceWithChannel, type InboxWorld } from '../../../test/support/channel-world.js';

let w: InboxWorld;
beforeAll(async () => (w = await inboxWorld()));
afterAll(() => w.close());

// Messages a second apart, so their order does not hang on ids.
let clock = Date.parse('2026-12-01T08:00:00Z');
const inGroup = (from: Record<string, unknown>, text: string, group = { id: 'g-7', name: 'VIP 群' }) => ({ ...textEvent(from, text), group, timestamp: (clock += 1000) });
const membership = (type: 'group_joined' | 'group_left', from: string, group = { id: 'g-7' }) => ({ id: `${type}-${from}-${Date.now()}-${Math.random()}`, type, from: { id: from }, group });

type Client = Awaited<ReturnType<typeof workspaceWithChannel>>['client'];
const list = async (client: Client, query = '') => (await client.get(`/api/v1/conversations${query}`)).json().items as Array<Record<string, unknown> & { id: string; kind: string }>;
const participants = async (client: Client, id: string, query = '') => (await client.get(`/api/v1/conversations/${id}/participants${query}`)).json().items as Array<{ contactId: string; name: string; leftAt: string | null; messageCount: number }>;
const messages = async (client: Client, id: string) => (await client.get(`/api/v1/conversations/${id}/messages`)).json().items as Array<{ text: string; senderContactId: string | null; direction: string }>;

async function groupWithTwo(name: string) {
  const ws = await workspaceWithChannel(w, name);
  await deliver(w.t, ws.channelId, [inGroup({ id: 'li', name: '李雷' }, '大家好'), inGroup({ id: 'han', name: '韩梅梅' }, '你好')]);
  await deliver(w.t, ws.channelId, [inGroup({ id: 'li', name: '李雷' }, '<b>新品</b>什么时候到？')]);
  await runJobs(w.t);
  const [group] = await list(ws.client);
  const people = await participants(ws.client, group!.id);
  const id = (n: string) => people.find((p) => p.name === n)!.contactId;
  return { ...ws, group: group!, li: id('李雷'), han: id('韩梅梅') };
}

describe('group conversations', () => {
  it('are one conversation for the group, with no single contact, and each message names its sender', async () => {
    const g = await groupWithTwo('Group');
    expect(await list(g.client)).toHaveLength(1);
    expect(g.group).toMatchObject({ kind: 'group', contact: null, groupName: 'VIP 群', lastMessagePreview: '<b>新品</b>什么时候到？' });
    const said = await messages(g.client, g.group.id);
    expect(said.map((m) => [m.text, m.senderContactId])).toEqual([
      ['<b>新品</b>什么时候到？', g.li],
      ['你好', g.han],
      ['大家好', g.li],
    ]);
    expect(await participants(g.client, g.group.id)).toEqual(
      expect.arrayContaining([expect.objectContaining({ contactId: g.li, messageCount: 2, leftAt: null }), expect.objectContaining({ contactId: g.han, messageCount: 1 })]),
    );
  });

  it("puts each message on its sender's timeline, and shows the group among each participant's conversations", async () => {
    const g = await groupWithTwo('Timeline');
    const timeline = (await g.client.get(`/api/v1/contacts/${g.han}/timeline`)).json().items as Array<{ type: string; props: Record<string, unknown> }>;
    expect(timeline.filter((e) => e.type === 'message').map((e) => e.props)).toEqual([
      expect.objectContaining({ direction: 'in', body: '你好', extra: expect.objectContaining({ conversationId: g.group.id, group: 'VIP 群' }) }),
    ]);
    expect((await list(g.client, `?contactId=${g.han}`)).map((c) => c.id)).toEqual([g.group.id]);
    // The same person writing one to one has a conversation of their own besides the group.
    await deliver(w.t, g.channelId, [textEvent({ id: 'han' }, '私聊一下')]);
    await runJobs(w.t);
    const hers = await list(g.client, `?contactId=${g.han}`);
    expect(hers.map((c) => c.kind).sort()).toEqual(['direct', 'group']);
    expect(hers.find((c) => c.kind === 'direct')).toMatchObject({ contact: { id: g.han } });
  });

  it('keeps who joined and left; a renamed group shows its new name', async () => {
    const g = await groupWithTwo('Membership');
    await deliver(w.t, g.channelId, [membership('group_left', 'han'), membership('group_joined', 'wei'), inGroup({ id: 'li' }, 'ok', { id: 'g-7', name: 'VIP 客户群' })]);
    await runJobs(w.t);
    const everyone = await participants(g.client, g.group.id);
    expect(everyone).toHaveLength(3);
    expect(everyone.find((p) => p.contactId === g.han)!.leftAt).not.toBeNull();
    const present = await participants(g.client, g.group.id, '?present=true');
    expect(present.map((p) => p.contactId)).not.toContain(g.han);
    expect(present.find((p) => p.contactId !== g.li)).toMatchObject({ messageCount: 0 });
    expect((await g.client.get(`/api/v1/conversations/${g.group.id}`)).json().conversation.groupName).toBe('VIP 客户群');
    // Writing again brings her back.
    await deliver(w.t, g.channelId, [inGroup({ id: 'han' }, '我回来了')]);
    await runJobs(w.t);
    expect((await participants(g.client, g.group.id, '?present=true')).map((p) => p.contactId)).toContain(g.han);
  });

  it("sends a reply to the group, not to a person, and on no one contact's timeline", async () => {
    const g = await groupWithTwo('Reply');
    const before = w.provider.received.length;
    expect((await g.client.post(`/api/v1/conversations/${g.group.id}/messages`, { text: '明天到货' })).statusCode).toBe(202);
    await runJobs(w.t);
    expect(w.provider.received.slice(before).map((r) => r.json())).toEqual([expect.objectContaining({ to: 'g-7', group: true, text: '明天到货' })]);
    for (const contactId of [g.li, g.han]) {
      const entries = (await g.client.get(`/api/v1/contacts/${contactId}/timeline`)).json().items as Array<{ props: { direction?: string } }>;
      expect(entries.some((e) => e.props.direction === 'out')).toBe(false);
    }
  });

  it('a merge of two participants leaves one, with both their messages; undo puts them back', async () => {
    const g = await groupWithTwo('Merge');
    const merged = await g.client.post('/api/v1/contacts/merge', { survivorId: g.li, mergedIds: [g.han] });
    expect(merged.statusCode).toBe(200);
    expect(await participants(g.client, g.group.id)).toEqual([expect.objectContaining({ contactId: g.li, messageCount: 3 })]);
    expect((await messages(g.client, g.group.id)).every((m) => m.senderContactId === g.li)).toBe(true);
    expect((await g.client.post(`/api/v1/contact-merges/${merged.json().mergeId}/undo`)).statusCode).toBe(200);
    expect((await participants(g.client, g.group.id)).map((p) => [p.contactId, p.messageCount]).sort()).toEqual([[g.han, 1], [g.li, 2]].sort());
    expect((await messages(g.client, g.group.id)).find((m) => m.text === '你好')!.senderContactId).toBe(g.han);
  });
});

describe('one-to-one conversations and merges', () => {
  it("a merged contact's conversation moves to the survivor, and back on undo", async () => {
    const ws = await workspaceWithChannel(w, 'Direct merge');
    await deliver(w.t, ws.channelId, [textEvent({ id: 'a', name: 'A' }, 'one'), textEvent({ id: 'b', name: 'B' }, 'two')]);
    await runJobs(w.t);
    const [first, second] = await list(ws.client);
    const survivor = (first!.contact as { id: string }).id;
    const other = (second!.contact as { id: string }).id;
    const merged = await ws.client.post('/api/v1/contacts/merge', { survivorId: survivor, mergedIds: [other] });
    expect((await list(ws.client, `?contactId=${survivor}`)).map((c) => c.id).sort()).toEqual([first!.id, second!.id].sort());
    expect((await messages(ws.client, second!.id))[0]!.senderContactId).toBe(survivor);
    await ws.client.post(`/api/v1/contact-merges/${merged.json().mergeId}/undo`);
    expect((await list(ws.client, `?contactId=${other}`)).map((c) => c.id)).toEqual([second!.id]);
  });
});
