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

export interface CodeKey {
  workspaceId: string;
  codeId: string;
}

/**
 * Locks the enabled codes' rows for one scan group, in key order (so two groups never wait on each
 * other crosswise), with what a scan needs: rotation state, rules, the workspace's date, time and
 * language, and the channel's type, name and settings for its entry link.
 */
export const lockForScans = (db: Db, keys: readonly CodeKey[]) =>
  sql<{
    workspace_id: string;
    id: string;
    strategy: Strategy;
    rr_cursor: number;
    channel_id: string | null;
    landing_url: string | null;
    slug: string;
    periods: SpecialPeriod[];
    exclusive: boolean;
    locale: string;
    timezone: string;
    now: Date;
    today: string;
    channel_type: string | null;
    channel_name: string | null;
    channel_settings: unknown;
  }>`
    select c.workspace_id, c.id, c.strategy, c.rr_cursor, c.channel_id, c.landing_url, c.slug, c.periods, c.exclusive,
      w.locale, w.timezone, now() as now, (now() at time zone w.timezone)::date::text as today,
      ch.type as channel_type, ch.name as channel_name, ch.settings as channel_settings
    from live_codes c
    join workspaces w on w.id = c.workspace_id
    left join channels ch on ch.workspace_id = c.workspace_id and ch.id = c.channel_id
    where (c.workspace_id, c.id) in (select * from unnest(${keys.map((k) => k.workspaceId)}::uuid[], ${keys.map((k) => k.codeId)}::uuid[]))
      and c.enabled
    order by c.workspace_id, c.id
    for no key update of c`
    .execute(db)
    .then((r) => r.rows);

/** The codes' staff and backups (in pool order) with each one's picks on the code's local day. */
export const staffWithPicks = (db: Db, codes: readonly (CodeKey & { day: string })[]) =>
  sql<{ workspace_id: string; code_id: string; member_id: string; position: number; backup: boolean; weight: number; daily_cap: number | null; hours: WeeklyInterval[] | null; picks: number }>`
    select s.workspace_id, s.code_id, s.member_id, s.position, s.backup, s.weight, s.daily_cap, s.hours, coalesce(p.picks, 0)::int as picks
    from unnest(${codes.map((c) => c.workspaceId)}::uuid[], ${codes.map((c) => c.codeId)}::uuid[], ${codes.map((c) => c.day)}::date[]) as k(ws, code, day)
    join live_code_staff s on s.workspace_id = k.ws and s.code_id = k.code
    left join live_code_picks p on p.workspace_id = s.workspace_id and p.code_id = s.code_id and p.member_id = s.member_id and p.day = k.day
    order by s.workspace_id, s.code_id, s.position`
    .execute(db)
    .then((r) => r.rows);

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

export interface ScanValues extends CodeKey {
  day: string;
  memberId: string | null;
  outcome: ScanOutcome;
  userAgentHash: string | null;
}

/**
 * Writes a scan group in one statement: each chosen member's picks added to their counter for the
 * day, the round robins' cursors moved, and the scans recorded.
 */
export async function recordScans(db: Db, scans: readonly ScanValues[], cursors: readonly (CodeKey & { cursor: number })[]) {
  await sql`
    with scans as (
      select * from unnest(${scans.map((s) => s.workspaceId)}::uuid[], ${scans.map((s) => s.codeId)}::uuid[], ${scans.map((s) => s.day)}::date[],
        ${scans.map((s) => s.memberId)}::uuid[], ${scans.map((s) => s.outcome)}::text[], ${scans.map((s) => s.userAgentHash)}::text[]) as t(ws, code, day, m, o, h)
    ), picked as (
      insert into live_code_picks (workspace_id, code_id, day, member_id, picks)
      select ws, code, day, m, count(*) from scans where m is not null group by ws, code, day, m
      on conflict (workspace_id, code_id, day, member_id) do update set picks = live_code_picks.picks + excluded.picks
    ), moved as (
      update live_codes c set rr_cursor = v.cursor
      from unnest(${cursors.map((c) => c.workspaceId)}::uuid[], ${cursors.map((c) => c.codeId)}::uuid[], ${cursors.map((c) => c.cursor)}::int[]) as v(ws, code, cursor)
      where c.workspace_id = v.ws and c.id = v.code and c.rr_cursor <> v.cursor
    )
    insert into live_code_scans (workspace_id, code_id, day, member_id, outcome, user_agent_hash)
    select ws, code, day, m, o, h from scans`.execute(db);
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
