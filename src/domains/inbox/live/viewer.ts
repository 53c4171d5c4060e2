// Conversation visibility in memory, for pushes: the rule of queries/visibility.ts applied to the
// few fields a notice carries (viewer.test.ts checks both agree on every case).
import type { Actor } from '../../../platform/auth/actor.js';
import type { Db } from '../../../platform/db/connect.js';
import { teamsAndMates } from '../queries/viewer.js';

/** What a notice says about its conversation: id, channel, team, channel's team, assignee. */
export interface ConversationAccess {
  id: string;
  ch: string;
  t: string | null;
  ct: string | null;
  a: string | null;
}

export interface Viewer {
  memberId: string;
  all: boolean;
  teams: ReadonlySet<string>;
  /** Members whose conversations the data scope covers (teammates; none for `own`). */
  mates: ReadonlySet<string>;
}

export async function loadViewer(db: Db, actor: Actor): Promise<Viewer> {
  if (actor.scope === 'all') return { memberId: actor.memberId, all: true, teams: new Set(), mates: new Set() };
  const { teams, mates } = await teamsAndMates(db, actor);
  return { memberId: actor.memberId, all: false, teams: new Set(teams), mates: new Set(mates) };
}

export function canSee(v: Viewer, c: ConversationAccess): boolean {
  if (v.all || c.a === v.memberId) return true;
  const ofTeam = (c.t !== null && v.teams.has(c.t)) || (c.ct !== null && v.teams.has(c.ct)) || (c.t === null && c.ct === null);
  return ofTeam && (c.a === null || v.mates.has(c.a));
}
