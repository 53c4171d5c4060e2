// Who a channel acts as when it writes contacts (creates them, adds identities, fills in profiles,
// tags): the member who set it up, else the workspace's first owner, with an automation's rights
// (platform/auth/actor.ts), so audit entries and contact events name a member as usual.
import { automationActor, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';

async function firstOwner(db: Db, workspaceId: string): Promise<string> {
  const owner = await db
    .selectFrom('members as m')
    .innerJoin('roles as r', (j) => j.onRef('r.workspace_id', '=', 'm.workspace_id').onRef('r.id', '=', 'm.role_id'))
    .select('m.id')
    .where('m.workspace_id', '=', workspaceId)
    .where('r.key', '=', 'owner')
    .orderBy('m.created_at')
    .executeTakeFirstOrThrow();
  return owner.id;
}

export async function channelActor(db: Db, workspaceId: string, createdBy: string | null): Promise<Actor> {
  return automationActor(workspaceId, createdBy ?? (await firstOwner(db, workspaceId)));
}
