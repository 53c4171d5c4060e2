// Members' display names, for other domains that show who a member is (a live code's staff, a
// referral code's owner).
import type { Db } from '../../platform/db/connect.js';

/** The display names of the workspace's members among `memberIds`. */
export const memberNames = async (db: Db, workspaceId: string, memberIds: readonly string[]) =>
  new Map(
    memberIds.length
      ? (
          await db
            .selectFrom('members as m')
            .innerJoin('users as u', 'u.id', 'm.user_id')
            .select(['m.id', 'u.name'])
            .where('m.workspace_id', '=', workspaceId)
            .where('m.id', 'in', [...new Set(memberIds)])
            .execute()
        ).map((r) => [r.id, r.name])
      : [],
  );
