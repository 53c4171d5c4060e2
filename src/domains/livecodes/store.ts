// SQL of live codes, their staff pools, pick counters, scans and adds. Every query is scoped to
// its workspace, except the public link's lookup by slug (the slug is the only thing it has).
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../../platform/db/connect.js';
import { withOurs } from './db.js';
import type { WeeklyInterval } from '../../platform/time/weekly.js';
import type { ScanOutcome, SpecialPeriod, Strategy } from './tables.js';

export interface CodeValues {
  name: string;
  channelId: string | null;
  landingUrl: string | null;
  strategy: Strategy;
  tagIds: string[];
  welcomeMessage: string | null;
  periods: SpecialPeriod[];
  exclusive: boolean;
  welcomeBlockedNames: string[];
  enabled: boolean;
}

export interface StaffValues {
  memberId: string;
  backup: boolean;
  weight: number;
  dailyCap: number | null;
  hours: WeeklyInterval[] | null;
}

const codeColumns = ['id', 'name', 'slug', 'channel_id', 'landing_url', 'strategy', 'tag_ids', 'welcome_message', 'periods', 'exclusive', 'welcome_blocked_names', 'provider_ref', 'provider_qr_content', 'provider_qr_image_url', 'registered_at', 'enabled', 'created_at', 'updated_at'] as const;
export type CodeRow = Awaited<ReturnType<typeof findCode>> & object;

const columnsOf = (v: CodeValues) => ({
  name: v.name,
  channel_id: v.channelId,
  landing_url: v.landingUrl,
  strategy: v.strategy,
  tag_ids: v.tagIds,
  welcome_message: v.welcomeMessage,
  periods: JSON.stringify(v.periods),
  exclusive: v.exclusive,
  welcome_blocked_names: v.welcomeBlockedNames,
  enabled: v.enabled,
});

export const findCode = (db: Db, workspaceId: string, id: string) =>
  withOurs(db).selectFrom('live_codes').select(codeColumns).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();

export const findCodeBySlug = (db: Db, workspaceId: string, slug: string) =>
  withOurs(db).selectFrom('live_codes').select(codeColumns).where('workspace_id', '=', workspaceId).where('slug', '=', slug).executeTakeFirst();

/** The public link's code: enabled, by slug alone (slugs are random; a clash across workspaces finds none). */
export async function findPublicCode(db: Db, slug: string) {
  const rows = await withOurs(db).selectFrom('live_codes').select(['workspace_id', 'id']).where('slug', '=', slug).where('enabled', '=', true).limit(2).execute();
  return rows.length === 1 ? rows[0] : undefined;
}

/** Newest first; `after` is the cursor's predicate (pagination's afterNewestFirst on created_at, id). */
export const listCodes = (db: Db, workspaceId: string, after: Expression<SqlBool> | undefined, limit: number) =>
  withOurs(db)
    .selectFrom('live_codes')
    .select(codeColumns)
    .where('workspace_id', '=', workspaceId)
    .$if(after !== undefined, (q) => q.where(after!))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();

export const insertCode = (db: Db, workspaceId: string, slug: string, v: CodeValues, createdBy: string) =>
  withOurs(db)
    .insertInto('live_codes')
    .values({ workspace_id: workspaceId, slug, created_by: createdBy, ...columnsOf(v) })
    .onConflict((oc) => oc.columns(['workspace_id', 'slug']).doNothing())
    .returning(codeColumns)
    .executeTakeFirst();

export const updateCode = (db: Db, workspaceId: string, id: string, v: CodeValues) =>
  withOurs(db)
    .updateTable('live_codes')
    .set({ ...columnsOf(v), updated_at: sql<Date>`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returning(codeColumns)
    .executeTakeFirst();

export const deleteCode = async (db: Db, workspaceId: string, id: string) =>
  (await withOurs(db).deleteFrom('live_codes').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()).numDeletedRows > 0n;

export const staffOf = (db: Db, workspaceId: string, codeIds: readonly string[]) =>
  codeIds.length
    ? withOurs(db)
        .selectFrom('live_code_staff')
        .select(['code_id', 'member_id', 'position', 'backup', 'weight', 'daily_cap', 'hours'])
        .where('workspace_id', '=', workspaceId)
        .where('code_id', 'in', codeIds)
        .orderBy('code_id')
        .orderBy('position')
        .execute()
    : Promise.resolve([]);

export async function replaceStaff(db: Db, workspaceId: string, codeId: string, staff: readonly StaffValues[]) {
  await withOurs(db).deleteFrom('live_code_staff').where('workspace_id', '=', workspaceId).where('code_id', '=', codeId).execute();
  if (!staff.length) return;
  await withOurs(db)
    .insertInto('live_code_staff')
    .values(staff.map((s, position) => ({ workspace_id: workspaceId, code_id: codeId, member_id: s.memberId, position, backup: s.backup, weight: s.weight, daily_cap: s.dailyCap, hours: s.hours && JSON.stringify(s.hours) })))
    .execute();
}

/**
 * Locks the code's row for one scan (scans of one code take turns; other codes are not held up)
 * and reads its rotation state with today's date in the workspace's time zone.
 */
export const lockForScan = (db: Db, workspaceId: string, codeId: string) =>
  withOurs(db)
    .selectFrom('live_codes as c')
    .innerJoin('workspaces as w', 'w.id', 'c.workspace_id')
    .select([
      'c.id',
      'c.strategy',
      'c.rr_cursor',
      'c.channel_id',
      'c.landing_url',
      'c.slug',
      'c.periods',
      'c.exclusive',
      'w.locale',
      'w.timezone',
      sql<Date>`now()`.as('now'),
      sql<string>`(now() at time zone w.timezone)::date::text`.as('today'),
    ])
    .where('c.workspace_id', '=', workspaceId)
    .where('c.id', '=', codeId)
    .where('c.enabled', '=', true)
    .forNoKeyUpdate('c')
    .executeTakeFirst();

/** The code's staff and backups with each one's picks today. */
export const staffWithPicks = (db: Db, workspaceId: string, codeId: string, day: string) =>
  withOurs(db)
    .selectFrom('live_code_staff as s')
    .leftJoin('live_code_picks as p', (j) => j.onRef('p.workspace_id', '=', 's.workspace_id').onRef('p.code_id', '=', 's.code_id').onRef('p.member_id', '=', 's.member_id').on('p.day', '=', day))
    .select(['s.member_id', 's.position', 's.backup', 's.weight', 's.daily_cap', 's.hours', sql<number>`coalesce(p.picks, 0)::int`.as('picks')])
    .where('s.workspace_id', '=', workspaceId)
    .where('s.code_id', '=', codeId)
    .orderBy('s.position')
    .execute();

export interface ScanValues {
  memberId: string | null;
  outcome: ScanOutcome;
  userAgentHash: string | null;
}

/** Today's picks of some members (a special period's staff). */
export const picksOf = async (db: Db, workspaceId: string, codeId: string, day: string, memberIds: readonly string[]) =>
  new Map(
    (
      await withOurs(db)
        .selectFrom('live_code_picks')
        .select(['member_id', 'picks'])
        .where('workspace_id', '=', workspaceId)
        .where('code_id', '=', codeId)
        .where('day', '=', day)
        .where('member_id', 'in', memberIds)
        .execute()
    ).map((r) => [r.member_id, r.picks]),
  );

/**
 * Writes a scan group in one statement: each chosen member's picks added to their counter for the
 * day, the round robin's cursor moved, and the scans recorded.
 */
export async function recordScans(db: Db, workspaceId: string, code: { id: string; day: string; cursor: number }, scans: readonly ScanValues[]) {
  const picks = new Map<string, number>();
  for (const s of scans) if (s.memberId) picks.set(s.memberId, (picks.get(s.memberId) ?? 0) + 1);
  await sql`
    with picked as (
      insert into live_code_picks (workspace_id, code_id, day, member_id, picks)
      select ${workspaceId}, ${code.id}, ${code.day}::date, m, n from unnest(${[...picks.keys()]}::uuid[], ${[...picks.values()]}::int[]) as t(m, n)
      on conflict (workspace_id, code_id, day, member_id) do update set picks = live_code_picks.picks + excluded.picks
    ), moved as (
      update live_codes set rr_cursor = ${code.cursor} where workspace_id = ${workspaceId} and id = ${code.id} and rr_cursor <> ${code.cursor}
    )
    insert into live_code_scans (workspace_id, code_id, day, member_id, outcome, user_agent_hash)
    select ${workspaceId}, ${code.id}, ${code.day}::date, m, o, h
    from unnest(${scans.map((s) => s.memberId)}::uuid[], ${scans.map((s) => s.outcome)}::text[], ${scans.map((s) => s.userAgentHash)}::text[]) as t(m, o, h)`.execute(db);
}

/** Records that the code brought the contact; false when it already had (a redelivered event). */
export const insertAdd = async (db: Db, workspaceId: string, a: { codeId: string; contactId: string; channelId: string | null; attributed: boolean }) =>
  Boolean(
    await withOurs(db)
      .insertInto('live_code_adds')
      .values((eb) => ({
        workspace_id: workspaceId,
        code_id: a.codeId,
        contact_id: a.contactId,
        channel_id: a.channelId,
        attributed: a.attributed,
        day: eb.selectFrom('workspaces').select(sql<string>`(now() at time zone timezone)::date`.as('d')).where('id', '=', workspaceId),
      }))
      .onConflict((oc) => oc.columns(['workspace_id', 'code_id', 'contact_id']).doNothing())
      .returning('contact_id')
      .executeTakeFirst(),
  );

export const todayOf = async (db: Db, workspaceId: string) =>
  (await sql<{ today: string }>`select (now() at time zone timezone)::date::text as today from workspaces where id = ${workspaceId}`.execute(db)).rows[0]?.today;

export const markAttributed = (db: Db, workspaceId: string, codeId: string, contactId: string) =>
  withOurs(db).updateTable('live_code_adds').set({ attributed: true }).where('workspace_id', '=', workspaceId).where('code_id', '=', codeId).where('contact_id', '=', contactId).execute();

/** The contact left the channel it arrived on through a code (unfollowed, or removed or was removed by the staff member). */
export const markLeft = (db: Db, workspaceId: string, contactId: string, channelId: string) =>
  withOurs(db)
    .updateTable('live_code_adds')
    .set((eb) => ({ left_on: eb.selectFrom('workspaces').select(sql<string>`(now() at time zone timezone)::date`.as('d')).where('id', '=', workspaceId) }))
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', contactId)
    .where('channel_id', '=', channelId)
    .where('left_on', 'is', null)
    .execute();

/** What the provider answered when the code was registered with it. */
export const setRegistration = (db: Db, workspaceId: string, id: string, r: { ref: string; qrContent: string | null; qrImageUrl: string | null }) =>
  withOurs(db)
    .updateTable('live_codes')
    .set({ provider_ref: r.ref, provider_qr_content: r.qrContent, provider_qr_image_url: r.qrImageUrl, registered_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returning(codeColumns)
    .executeTakeFirstOrThrow();
