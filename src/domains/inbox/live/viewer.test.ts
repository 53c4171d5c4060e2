// The two statements of the visibility rule agree: the SQL every list uses
// (queries/visibility.ts) and the in-memory one every push uses (viewer.ts), for members of every
// data scope against conversations of every combination of channel team, conversation team and
// assignee.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createOwner, createTeam, createTestApp, type TestApp } from '../../../../test/support/app.js';
import { actorForMember } from '../../../platform/auth/sessions.js';
import { listConversations } from '../conversations.js';
import { canSee, loadViewer } from './viewer.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());

describe('visibility', () => {
  it('gives the same answer in SQL and in memory for every scope, team and assignee', async () => {
    const db = t.database.db;
    const owner = await createOwner(t, 'Visibility');
    const w = owner.workspace.id;
    const own = await addMember(t, w, 'agent');
    const ownChild = await addMember(t, w, 'agent');
    const teamScope = await addMember(t, w, { name: 'Team lead', permissions: ['inbox:read', 'inbox:write'], scope: 'team' });
    const manager = await addMember(t, w, 'manager');
    const loner = await addMember(t, w, 'agent');
    const parent = await createTeam(t, w, [own.memberId, teamScope.memberId, manager.memberId]);
    const child = await createTeam(t, w, [ownChild.memberId], parent);
    const other = await createTeam(t, w, []);
    const teams = [null, parent, child, other];
    const channels: Array<{ id: string; team: string | null }> = [];
    for (const [i, team] of teams.entries()) {
      const { id } = await db
        .insertInto('channels')
        .values({ workspace_id: w, type: 'api', name: `c${i}`, settings: JSON.stringify({ url: 'https://example.com' }), secrets: Buffer.from([1]), team_id: team })
        .returning('id')
        .executeTakeFirstOrThrow();
      channels.push({ id, team });
    }
    const { id: contact } = await db.insertInto('contacts').values({ workspace_id: w, name: 'c', custom: '{}' }).returning('id').executeTakeFirstOrThrow();
    const assignees = [null, owner.memberId, own.memberId, ownChild.memberId, teamScope.memberId, manager.memberId, loner.memberId];
    const conversations: Array<{ id: string; ch: string; t: string | null; ct: string | null; a: string | null }> = [];
    for (const channel of channels) {
      for (const team of teams) {
        for (const assignee of assignees) {
          const { id } = await db
            .insertInto('conversations')
            .values({ workspace_id: w, channel_id: channel.id, contact_id: contact, thread_key: `${conversations.length}`, recipient_id: 'r', team_id: team, assignee_member_id: assignee, last_message_at: new Date() })
            .returning('id')
            .executeTakeFirstOrThrow();
          conversations.push({ id, ch: channel.id, t: team, ct: channel.team, a: assignee });
        }
      }
    }
    let seenSomewhere = 0;
    for (const m of [owner, own, ownChild, teamScope, manager, loner]) {
      const actor = (await actorForMember(db, w, m.memberId))!;
      const viewer = await loadViewer(db, actor);
      const inMemory = conversations.filter((c) => canSee(viewer, c)).map((c) => c.id).sort();
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listConversations(db, actor, { limit: 200, ...(cursor ? { cursor } : {}) });
        ids.push(...page.items.map((c) => c.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(ids.sort(), `${actor.roleKey ?? 'team lead'} ${m.memberId}`).toEqual(inMemory);
      seenSomewhere += inMemory.length;
    }
    // Not a trivial agreement: some see everything, some little.
    expect(seenSomewhere).toBeGreaterThan(conversations.length);
    expect(seenSomewhere).toBeLessThan(conversations.length * 6);
  });
});
