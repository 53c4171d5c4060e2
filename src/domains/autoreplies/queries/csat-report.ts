// The CSAT report: surveys sent in a period (by when they were sent), their answers, and the
// names of the agents and teams they are about. Read-only joins to members, users and teams.
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db } from '../../../platform/db/connect.js';
import { withOurs } from '../db.js';

export interface ReportFilter {
  from: Date;
  to: Date;
  teamId?: string;
  memberId?: string;
}

const surveys = (db: Db, workspaceId: string, f: ReportFilter) =>
  withOurs(db)
    .selectFrom('csat_surveys as s')
    .where('s.workspace_id', '=', workspaceId)
    .where('s.created_at', '>=', f.from)
    .where('s.created_at', '<', f.to)
    .$if(f.teamId !== undefined, (q) => q.where('s.team_id', '=', f.teamId!))
    .$if(f.memberId !== undefined, (q) => q.where('s.member_id', '=', f.memberId!));

const figures = [
  sql<number>`count(*)`.as('sent'),
  sql<number>`count(s.rating)`.as('answered'),
  sql<number | null>`avg(s.rating)::float8`.as('average'),
] as const;

export const totals = (db: Db, workspaceId: string, f: ReportFilter) => surveys(db, workspaceId, f).select(figures).executeTakeFirstOrThrow();

export const distribution = (db: Db, workspaceId: string, f: ReportFilter) =>
  surveys(db, workspaceId, f).select(['s.rating', sql<number>`count(*)`.as('n')]).where('s.rating', 'is not', null).groupBy('s.rating').execute();

export const byAgent = (db: Db, workspaceId: string, f: ReportFilter) =>
  surveys(db, workspaceId, f)
    .leftJoin('members as m', (j) => j.onRef('m.workspace_id', '=', 's.workspace_id').onRef('m.id', '=', 's.member_id'))
    .leftJoin('users as u', 'u.id', 'm.user_id')
    .select(['s.member_id', 'u.name', ...figures])
    .groupBy(['s.member_id', 'u.name'])
    .orderBy(sql`count(*)`, 'desc')
    .execute();

export const byTeam = (db: Db, workspaceId: string, f: ReportFilter) =>
  surveys(db, workspaceId, f)
    .leftJoin('teams as t', (j) => j.onRef('t.workspace_id', '=', 's.workspace_id').onRef('t.id', '=', 's.team_id'))
    .select(['s.team_id', 't.name', ...figures])
    .groupBy(['s.team_id', 't.name'])
    .orderBy(sql`count(*)`, 'desc')
    .execute();

/** Answers with a comment, newest first. */
export const comments = (db: Db, workspaceId: string, f: ReportFilter, page: { after?: Expression<SqlBool>; limit: number }) =>
  surveys(db, workspaceId, f)
    .leftJoin('members as m', (j) => j.onRef('m.workspace_id', '=', 's.workspace_id').onRef('m.id', '=', 's.member_id'))
    .leftJoin('users as u', 'u.id', 'm.user_id')
    .select(['s.id', 's.conversation_id', 's.member_id', 'u.name as member_name', 's.team_id', 's.rating', 's.comment', 's.answered_at'])
    .where('s.comment', 'is not', null)
    .where('s.answered_at', 'is not', null)
    .$if(page.after !== undefined, (q) => q.where(page.after!))
    .orderBy('s.answered_at', 'desc')
    .orderBy('s.id', 'desc')
    .limit(page.limit + 1)
    .execute();
