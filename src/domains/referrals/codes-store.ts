// SQL of referral programmes, their codes, visits and arrivals. Every query is scoped to its
// workspace, except the public link's lookup by slug (the slug is all it has).
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../../platform/db/connect.js';
import { withOurs } from './db.js';
import type { NodeRef } from './tree-store.js';

const programColumns = ['id', 'name', 'channel_id', 'enabled', 'created_at'] as const;

export const findProgram = (db: Db, workspaceId: string, id: string) =>
  withOurs(db).selectFrom('referral_programs').select(programColumns).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
export type ProgramRow = NonNullable<Awaited<ReturnType<typeof findProgram>>>;

export const listPrograms = (db: Db, workspaceId: string, after: Expression<SqlBool> | undefined, limit: number) =>
  withOurs(db)
    .selectFrom('referral_programs')
    .select(programColumns)
    .where('workspace_id', '=', workspaceId)
    .$if(after !== undefined, (q) => q.where(after!))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();

export const insertProgram = (db: Db, workspaceId: string, v: { name: string; channelId: string; enabled: boolean }, createdBy: string | null) =>
  withOurs(db)
    .insertInto('referral_programs')
    .values({ workspace_id: workspaceId, name: v.name, channel_id: v.channelId, enabled: v.enabled, created_by: createdBy })
    .returning(programColumns)
    .executeTakeFirstOrThrow();

export const updateProgram = (db: Db, workspaceId: string, id: string, v: { name: string; channelId: string; enabled: boolean }) =>
  withOurs(db)
    .updateTable('referral_programs')
    .set({ name: v.name, channel_id: v.channelId, enabled: v.enabled })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returning(programColumns)
    .executeTakeFirstOrThrow();

const codeColumns = ['id', 'program_id', 'slug', 'owner_contact_id', 'owner_member_id', 'created_at'] as const;

export const findCode = (db: Db, workspaceId: string, id: string) =>
  withOurs(db).selectFrom('referral_codes').select(codeColumns).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
export type CodeRow = NonNullable<Awaited<ReturnType<typeof findCode>>>;

export const findCodeBySlug = (db: Db, workspaceId: string, slug: string) =>
  withOurs(db).selectFrom('referral_codes').select(codeColumns).where('workspace_id', '=', workspaceId).where('slug', '=', slug).executeTakeFirst();

export const codeOfOwner = (db: Db, workspaceId: string, programId: string, owner: NodeRef) =>
  withOurs(db)
    .selectFrom('referral_codes')
    .select(codeColumns)
    .where('workspace_id', '=', workspaceId)
    .where('program_id', '=', programId)
    .$if('contactId' in owner, (q) => q.where('owner_contact_id', '=', (owner as { contactId: string }).contactId))
    .$if('memberId' in owner, (q) => q.where('owner_member_id', '=', (owner as { memberId: string }).memberId))
    .executeTakeFirst();

/** The owner's new code; undefined when the slug or the owner's place was taken meanwhile. */
export const insertCode = (db: Db, workspaceId: string, programId: string, slug: string, owner: NodeRef) =>
  withOurs(db)
    .insertInto('referral_codes')
    .values({
      workspace_id: workspaceId,
      program_id: programId,
      slug,
      owner_contact_id: 'contactId' in owner ? owner.contactId : null,
      owner_member_id: 'memberId' in owner ? owner.memberId : null,
    })
    .onConflict((oc) => oc.doNothing())
    .returning(codeColumns)
    .executeTakeFirst();

export const listCodes = (db: Db, workspaceId: string, programId: string, after: Expression<SqlBool> | undefined, limit: number) =>
  withOurs(db)
    .selectFrom('referral_codes')
    .select(codeColumns)
    .where('workspace_id', '=', workspaceId)
    .where('program_id', '=', programId)
    .$if(after !== undefined, (q) => q.where(after!))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();

/** The public link's code and programme, by slug alone (random; a clash across workspaces finds none). */
export async function publicCode(db: Db, slug: string) {
  const rows = await withOurs(db)
    .selectFrom('referral_codes as c')
    .innerJoin('referral_programs as p', (j) => j.onRef('p.workspace_id', '=', 'c.workspace_id').onRef('p.id', '=', 'c.program_id'))
    .select(['c.workspace_id', 'c.id', 'c.slug', 'p.channel_id', 'p.enabled'])
    .where('c.slug', '=', slug)
    .limit(2)
    .execute();
  return rows.length === 1 && rows[0]!.enabled ? rows[0] : undefined;
}

export const insertVisit = (db: Db, workspaceId: string, codeId: string) => withOurs(db).insertInto('referral_visits').values({ workspace_id: workspaceId, code_id: codeId }).execute();

/** Records the contact's arrival with the code, once per code and contact. */
export const insertArrival = (db: Db, workspaceId: string, codeId: string, contactId: string) =>
  withOurs(db).insertInto('referral_arrivals').values({ workspace_id: workspaceId, code_id: codeId, contact_id: contactId }).onConflict((oc) => oc.doNothing()).execute();

/** Per code: visits, arrivals (new or known), new contacts (its edges in the tree) and those still counted. */
export async function statsOf(db: Db, workspaceId: string, codeIds: readonly string[]) {
  if (!codeIds.length) return new Map<string, { visits: number; arrivals: number; newContacts: number; validNewContacts: number }>();
  const { rows } = await sql<{ id: string; visits: number; arrivals: number; new_contacts: number; valid_new_contacts: number }>`
    select c.id,
      (select count(*)::int from referral_visits v where v.workspace_id = c.workspace_id and v.code_id = c.id) as visits,
      (select count(*)::int from referral_arrivals a where a.workspace_id = c.workspace_id and a.code_id = c.id) as arrivals,
      (select count(*)::int from invite_edges e where e.workspace_id = c.workspace_id and e.referral_code_id = c.id) as new_contacts,
      (select count(*)::int from invite_edges e where e.workspace_id = c.workspace_id and e.referral_code_id = c.id and e.status = 'counted') as valid_new_contacts
    from referral_codes c where c.workspace_id = ${workspaceId} and c.id = any(${[...codeIds]}::uuid[])`.execute(db);
  return new Map(rows.map((r) => [r.id, { visits: r.visits, arrivals: r.arrivals, newContacts: r.new_contacts, validNewContacts: r.valid_new_contacts }]));
}
