// Generated data for the segment tests: one workspace's contacts with every kind of value a
// definition can test (fields, custom values, tags, stage, owner and teams, source, consents,
// identities, RFM rows, timeline events with props), written to the database set-based and kept
// in memory for the independent evaluator. Seeded: the same seed gives the same world.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../platform/db/connect.js';
import type { FieldDefinition } from '../contacts/index.js';
import { rfmLayers } from './definition.js';
import type { MemoryContact, MemoryEvent, MemoryWorld } from './memory-evaluator.js';

/** Strings that try to break out of a literal, a LIKE pattern or a JSON path. */
export const hostileStrings = [
  "'; drop table contacts; --",
  "' or '1'='1",
  "\\'; select pg_sleep(5); --",
  '%',
  '_',
  '\\',
  '100%_off\\',
  '$1',
  '"); delete from segment_members; --',
  "O'Brien",
  '${workspace_id}',
  '*/ or 1=1 /*',
] as const;

const TEXTS = ['Alice', 'alice smith', 'Bob', '王芳', '张伟', '上海', 'Shanghai', 'beijing', '', 'A', 'Zed 100%', 'under_score', 'back\\slash', ...hostileStrings];
const CITIES = ['上海', '北京', 'Shanghai', 'shanghai', '', "Xi'an", '100%'];
const CHANNELS = ['wecom', 'wechat', 'whatsapp', 'email', 'web', "x'y", '%'];
const MESSAGE_CHANNELS = ['wechat', 'sms', 'email', 'WeChat', "o'reilly", '50%'];
const SELECT_OPTIONS = ['gold', 'silver', 'bronze', "o'neil"];
const MULTI_OPTIONS = ['x', 'y', 'z', "q'q"];
export const EVENT_TYPES = ['order', 'message', 'note'] as const;
export const CONSENT_CHANNELS = ['email', 'wecom', 'sms'] as const;
export const IDENTITY_TYPES = ['wecom', 'email', 'phone', 'line'] as const;
const GENDERS = ['male', 'female', 'other', 'unknown'] as const;
const PREFERRED = ['wecom', 'email', 'whatsapp', null] as const;

export const WORLD_FIELDS: FieldDefinition[] = [
  { key: 't_text', label: 'Text', type: 'text', options: [], required: false },
  { key: 't_url', label: 'URL', type: 'url', options: [], required: false },
  { key: 't_num', label: 'Number', type: 'number', options: [], required: false },
  { key: 't_money', label: 'Money', type: 'money', options: [], required: false },
  { key: 't_date', label: 'Date', type: 'date', options: [], required: false },
  { key: 't_bool', label: 'Boolean', type: 'boolean', options: [], required: false },
  { key: 't_sel', label: 'Select', type: 'single_select', options: SELECT_OPTIONS, required: false },
  { key: 't_multi', label: 'Multi', type: 'multi_select', options: MULTI_OPTIONS, required: false },
];

export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!;
  const maybe = <T>(p: number, v: () => T): T | null => (next() < p ? v() : null);
  const subset = <T>(xs: readonly T[], p = 0.4) => xs.filter(() => next() < p);
  return { next, int, pick, maybe, subset };
}

export const TEXT_POOL = TEXTS;
export { CITIES, CHANNELS, MESSAGE_CHANNELS, SELECT_OPTIONS, MULTI_OPTIONS };

export interface WorldIds {
  workspaceId: string;
  memberIds: string[];
  teamIds: string[];
  stageIds: string[];
  tagIds: string[];
  sourceCodeIds: string[];
}

export interface TestWorld extends MemoryWorld {
  ids: WorldIds;
}

const DAY = 86_400_000;
const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);

/**
 * Writes `count` contacts (and everything about them) into the workspace, whose members, teams
 * and stages already exist; creates the tags and custom fields. Returns the world in memory.
 */
export async function buildWorld(
  db: Db,
  base: { workspaceId: string; memberIds: string[]; teams: Array<{ id: string; parentId: string | null; memberIds: string[] }>; stageIds: string[] },
  options: { seed: number; count: number; now: Date; timezone: string },
): Promise<TestWorld> {
  const r = rng(options.seed);
  const ws = base.workspaceId;
  const now = options.now.getTime();
  await sql`update workspaces set timezone = ${options.timezone} where id = ${ws}`.execute(db);

  const group = await db.insertInto('tag_groups').values({ workspace_id: ws, name: `g${options.seed}`, position: 1 }).returning('id').executeTakeFirstOrThrow();
  const tags = await db
    .insertInto('tags')
    .values(['vip', 'lead', 'cold', "it's"].map((name) => ({ workspace_id: ws, group_id: group.id, name })))
    .returning('id')
    .execute();
  const tagIds = tags.map((t) => t.id);
  await db
    .insertInto('custom_fields')
    .values(WORLD_FIELDS.map((f, i) => ({ workspace_id: ws, key: f.key, label: f.label, type: f.type, options: f.options, position: i + 1 })))
    .execute();
  const sourceCodeIds = [randomUUID(), randomUUID()];

  const contacts: MemoryContact[] = [];
  for (let i = 0; i < options.count; i++) {
    const created = now - r.int(0, 900) * DAY - r.int(0, DAY);
    const custom: Record<string, unknown> = {};
    if (r.next() < 0.6) custom.t_text = r.pick(TEXTS);
    if (r.next() < 0.3) custom.t_url = r.pick(['https://a.example/x', 'https://b.example/100%', "https://c.example/o'k"]);
    if (r.next() < 0.6) custom.t_num = r.pick([0, 1, 5, 10, 42, 99.5, -3, 1000]);
    if (r.next() < 0.5) custom.t_money = r.int(0, 100000) / 100;
    if (r.next() < 0.5) custom.t_date = dayOf(now - r.int(-30, 1000) * DAY);
    if (r.next() < 0.5) custom.t_bool = r.next() < 0.5;
    if (r.next() < 0.5) custom.t_sel = r.pick(SELECT_OPTIONS);
    if (r.next() < 0.6) custom.t_multi = r.subset(MULTI_OPTIONS, 0.5);
    const events: MemoryEvent[] = [];
    for (let k = r.int(0, 8); k > 0; k--) {
      const type = r.pick(EVENT_TYPES);
      const occurredAt = new Date(now - r.int(0, 400) * DAY - r.int(0, DAY));
      const props: Record<string, unknown> =
        type === 'order'
          ? { amount: r.pick([0, 9.9, 10, 50, 99.99, 100, 250, 1000]), currency: 'CNY', status: r.pick(['paid', 'refunded', "x'y"]), ...(r.next() < 0.3 ? { coupon: null } : {}) }
          : type === 'message'
            ? { channel: r.pick(MESSAGE_CHANNELS), direction: r.pick(['in', 'out']), body: r.pick(TEXTS), fields: { city: r.pick(CITIES) } }
            : { body: r.pick(TEXTS), ...(r.next() < 0.5 ? { pinned: r.next() < 0.5 } : {}) };
      events.push({ type, occurredAt, props });
    }
    const lastActive = r.maybe(0.7, () => new Date(now - r.int(0, 400) * DAY - r.int(0, DAY)));
    contacts.push({
      id: randomUUID(),
      deleted: r.next() < 0.1,
      fields: {
        name: r.pick(TEXTS),
        email: r.maybe(0.6, () => `${r.pick(['a', 'bob', 'wang.fang', "o'brien"])}${i}@${r.pick(['example.com', 'qq.com'])}`),
        phone: r.maybe(0.5, () => `+86138${String(r.int(0, 99_999_999)).padStart(8, '0')}`),
        company: r.maybe(0.7, () => r.pick(TEXTS)),
        title: r.maybe(0.5, () => r.pick(TEXTS)),
        city: r.maybe(0.8, () => r.pick(CITIES)),
        region: r.maybe(0.3, () => r.pick(TEXTS)),
        gender: r.pick(GENDERS),
        preferred_channel: r.pick(PREFERRED),
        influence: r.maybe(0.6, () => r.int(0, 100)),
        birthday: r.maybe(0.5, () => dayOf(now - r.int(6000, 20000) * DAY)),
        created_at: new Date(created),
        updated_at: new Date(created + r.int(0, 100) * DAY),
        last_active_at: lastActive,
      },
      stageId: r.maybe(0.8, () => r.pick(base.stageIds)),
      ownerId: r.maybe(0.85, () => r.pick(base.memberIds)),
      sourceChannel: r.maybe(0.7, () => r.pick(CHANNELS)),
      sourceCodeId: r.maybe(0.4, () => r.pick(sourceCodeIds)),
      custom,
      tagIds: new Set(r.subset(tagIds, 0.4)),
      consents: new Map(CONSENT_CHANNELS.filter(() => r.next() < 0.5).map((ch) => [ch, r.next() < 0.6 ? 'opt_in' : 'opt_out'] as const)),
      identities: new Set(r.subset(IDENTITY_TYPES, 0.4)),
      rfm: r.next() < 0.6 ? { r: r.int(1, 5), f: r.int(1, 5), m: r.int(1, 5), layer: r.pick(rfmLayers) } : null,
      events,
    });
  }

  await writeContacts(db, ws, contacts);
  return {
    contacts,
    teams: base.teams.map((t) => ({ id: t.id, parentId: t.parentId })),
    teamMembers: base.teams.flatMap((t) => t.memberIds.map((memberId) => ({ teamId: t.id, memberId }))),
    fields: WORLD_FIELDS,
    timezone: options.timezone,
    now: options.now,
    ids: { workspaceId: ws, memberIds: base.memberIds, teamIds: base.teams.map((t) => t.id), stageIds: base.stageIds, tagIds, sourceCodeIds },
  };
}

/** Inserts contacts and their rows (tags, consents, identities, RFM, events). */
export async function writeContacts(db: Db, ws: string, contacts: readonly MemoryContact[]) {
  if (!contacts.length) return;
  await db
    .insertInto('contacts')
    .values(
      contacts.map((c) => ({
        workspace_id: ws,
        id: c.id,
        name: c.fields.name as string,
        email: c.fields.email as string | null,
        phone: c.fields.phone as string | null,
        company: c.fields.company as string | null,
        title: c.fields.title as string | null,
        city: c.fields.city as string | null,
        region: c.fields.region as string | null,
        gender: c.fields.gender as 'male',
        preferred_channel: c.fields.preferred_channel as string | null,
        influence: c.fields.influence as number | null,
        birthday: c.fields.birthday as string | null,
        created_at: c.fields.created_at as Date,
        updated_at: c.fields.updated_at as Date,
        last_active_at: c.fields.last_active_at as Date | null,
        deleted_at: c.deleted ? new Date() : null,
        stage_id: c.stageId,
        owner_member_id: c.ownerId,
        source_channel: c.sourceChannel,
        source_code_id: c.sourceCodeId,
        custom: JSON.stringify(c.custom),
      })),
    )
    .execute();
  const tagRows = contacts.flatMap((c) => [...c.tagIds].map((tag_id) => ({ workspace_id: ws, contact_id: c.id, tag_id, source: 'manual' as const })));
  if (tagRows.length) await db.insertInto('contact_tags').values(tagRows).execute();
  const consentRows = contacts.flatMap((c) => [...c.consents].map(([channel_type, status]) => ({ workspace_id: ws, contact_id: c.id, channel_type, status, how: 'test' })));
  if (consentRows.length) await db.insertInto('contact_consents').values(consentRows).execute();
  const identityRows = contacts.flatMap((c) => [...c.identities].map((channel_type) => ({ workspace_id: ws, contact_id: c.id, channel_type: channel_type as 'email', external_id: `${channel_type}:${c.id}` })));
  if (identityRows.length) await db.insertInto('contact_identities').values(identityRows).execute();
  const rfm = contacts.filter((c) => c.rfm);
  for (const c of rfm) {
    await sql`insert into contact_rfm (workspace_id, contact_id, recency_days, frequency, monetary, r_score, f_score, m_score, layer, computed_at)
              values (${ws}, ${c.id}, 1, 1, 1, ${c.rfm!.r}, ${c.rfm!.f}, ${c.rfm!.m}, ${c.rfm!.layer}, now())`.execute(db);
  }
  const events = contacts.flatMap((c) => c.events.map((e) => ({ workspace_id: ws, contact_id: c.id, type: e.type, occurred_at: e.occurredAt, actor_member_id: null, props: JSON.stringify(e.props) })));
  if (events.length) await db.insertInto('timeline_events').values(events).execute();
}
