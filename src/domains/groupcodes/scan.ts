// A scan of /g/<slug>: the group the visitor is given. Scans of one code are group-committed
// (platform/db/group-commit.ts): one transaction locks the code's row, reads its groups with how
// full they are, gives each scan in arrival order the first enabled group (by position) whose QR
// image has not expired, that is not full (`filled` < capacity) and has not reached its daily cap,
// then adds the picks — so caps and capacities hold under concurrent scans, across processes.
import type { Db } from '../../platform/db/connect.js';
import { groupCommit } from '../../platform/db/group-commit.js';
import { inTransaction } from '../../platform/db/transaction.js';
import * as store from './store.js';

export interface GroupScan {
  workspaceId: string;
  slug: string;
  workspaceLocale: string;
  /** The group given, or null when every group was full. */
  group: { id: string; name: string; joinUrl: string | null; hasQrImage: boolean } | null;
}

/** Whether a group can take one more scan today (pure; `filled` and `today` grow as a scan group gives). */
export const open = (g: store.GroupRow, today: string) =>
  g.enabled && (g.expires_on === null || g.expires_on >= today) && g.filled < g.capacity && (g.daily_cap === null || g.today < g.daily_cap);

async function writeScans(db: Db, workspaceId: string, codeId: string, count: number): Promise<(GroupScan | undefined)[]> {
  return inTransaction(db, async (tx) => {
    const code = await store.lockForScan(tx, workspaceId, codeId);
    if (!code) return Array.from({ length: count }, () => undefined);
    const groups = await store.groupsWithFill(tx, workspaceId, [codeId], code.today);
    const picks = new Map<string, number>();
    const given = Array.from({ length: count }, () => {
      const g = groups.find((candidate) => open(candidate, code.today));
      if (g) {
        g.today += 1;
        // An unlinked group is filled by its scans; a linked one by the joins its conversation reports.
        if (!g.conversation_id) g.filled += 1;
      }
      const key = g?.id ?? store.NO_GROUP;
      picks.set(key, (picks.get(key) ?? 0) + 1);
      return g;
    });
    await store.addPicks(tx, workspaceId, codeId, code.today, picks);
    return given.map((g) => ({
      workspaceId,
      slug: code.slug,
      workspaceLocale: code.locale,
      group: g ? { id: g.id, name: g.name, joinUrl: g.join_url, hasQrImage: g.has_qr_image } : null,
    }));
  });
}

const scanners = new WeakMap<Db, (key: string, visit: { workspaceId: string; codeId: string }) => Promise<GroupScan | undefined>>();

/** Records one scan of the workspace's enabled group code; undefined for a missing or disabled code. */
export function scanGroupCode(db: Db, workspaceId: string, codeId: string): Promise<GroupScan | undefined> {
  let scanner = scanners.get(db);
  if (!scanner) {
    scanner = groupCommit({ maxWeight: 256, write: (_key, visits: { workspaceId: string; codeId: string }[]) => writeScans(db, visits[0]!.workspaceId, visits[0]!.codeId, visits.length) });
    scanners.set(db, scanner);
  }
  return scanner(`${workspaceId} ${codeId}`, { workspaceId, codeId });
}

/** Records one scan of the enabled code `slug`; undefined for an unknown or disabled code. */
export async function scan(db: Db, slug: string) {
  const found = await store.findPublicCode(db, slug);
  return found ? scanGroupCode(db, found.workspace_id, found.id) : undefined;
}
