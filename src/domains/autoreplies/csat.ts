// Satisfaction surveys: sent when an agent resolves a conversation on a channel that asks for
// them, answered once (1–5 and a comment) on a public page whose link carries an unguessable
// token, or by the customer replying a bare digit while the survey waits; and the report.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import type { Tx } from '../../platform/db/transaction.js';
import { invalid } from '../../platform/http/errors.js';
import { afterNewestFirst, toPage } from '../../platform/http/pagination.js';
import * as store from './csat-store.js';
import * as report from './queries/csat-report.js';
import type { ReportQuery } from './schema.js';

export const SURVEY_DAYS = 7;
const DAY = 86_400_000;

const hashOf = (secret: Buffer) => createHash('sha256').update(secret).digest('hex');
const uuidBytes = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex');
const uuidOf = (b: Buffer) => b.toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

/** The link's token: workspace id, survey id and 16 random bytes; only the bytes' hash is stored. */
export function parseToken(token: string) {
  if (!/^[A-Za-z0-9_-]{64}$/.test(token)) return undefined;
  const raw = Buffer.from(token, 'base64url');
  if (raw.length !== 48) return undefined;
  return { workspaceId: uuidOf(raw.subarray(0, 16)), surveyId: uuidOf(raw.subarray(16, 32)), secret: raw.subarray(32) };
}

const surveyText = (locale: string, link: string) =>
  locale.startsWith('zh')
    ? `请为本次服务打分：直接回复 1–5 的数字（5 分最满意），或打开链接评价并留言：${link}`
    : `How did we do? Reply with a number from 1 (poor) to 5 (great), or rate us and leave a comment here: ${link}`;

/** A new survey for a resolved conversation (replacing any still open) and the message that asks. */
export async function startSurvey(tx: Tx, workspaceId: string, s: { conversationId: string; channelId: string; teamId: string | null; memberId: string | null; locale: string; publicUrl: string }) {
  await store.expireOpen(tx, workspaceId, s.conversationId);
  const secret = randomBytes(16);
  const survey = await store.insertSurvey(tx, workspaceId, { ...s, tokenHash: hashOf(secret), expiresAt: new Date(Date.now() + SURVEY_DAYS * DAY) });
  const token = Buffer.concat([uuidBytes(workspaceId), uuidBytes(survey.id), secret]).toString('base64url');
  return { surveyId: survey.id, text: surveyText(s.locale, `${s.publicUrl}/csat/${token}`) };
}

/** "4", "４" or "4 " while a survey waits: the rating. Anything else is an ordinary message. */
export const ratingOf = (text: string | null) => {
  const t = text?.normalize('NFKC').trim();
  return t && /^[1-5]$/.test(t) ? Number(t) : undefined;
};

/** Records a bare-digit reply as the open survey's answer; true when it was one. */
export async function answerByReply(tx: Tx, workspaceId: string, conversationId: string, text: string | null) {
  const rating = ratingOf(text);
  if (rating === undefined) return false;
  const open = await store.openSurvey(tx, workspaceId, conversationId);
  if (!open) return false;
  return Boolean(await store.answerSurvey(tx, workspaceId, open.id, { rating, comment: null, via: 'reply' }));
}

export type SurveyState = { state: 'unknown' } | { state: 'open' | 'answered' | 'expired'; locale: string; rating: number | null };

/** What the public page shows for a token; a wrong token looks like no survey at all. */
export async function surveyByToken(db: Db, token: string) {
  const parsed = parseToken(token);
  const survey = parsed && (await store.findSurvey(db, parsed.workspaceId, parsed.surveyId));
  if (!parsed || !survey) return undefined;
  const expected = Buffer.from(survey.token_hash, 'hex');
  const given = Buffer.from(hashOf(parsed.secret), 'hex');
  return timingSafeEqual(expected, given) ? { ...survey, workspaceId: parsed.workspaceId } : undefined;
}

export async function surveyState(db: Db, token: string): Promise<SurveyState> {
  const s = await surveyByToken(db, token);
  if (!s) return { state: 'unknown' };
  const state = s.answered_at ? 'answered' : s.expires_at.getTime() <= Date.now() ? 'expired' : 'open';
  return { state, locale: s.locale, rating: s.rating };
}

/** The public page's answer; false when the survey is unknown, answered or expired. */
export async function answerByLink(db: Db, token: string, a: { rating: number; comment: string | null }) {
  const s = await surveyByToken(db, token);
  return Boolean(s && (await store.answerSurvey(db, s.workspaceId, s.id, { ...a, via: 'link' })));
}

const rate = (f: { sent: number | string; answered: number | string; average: number | null }) => {
  const sent = Number(f.sent);
  const answered = Number(f.answered);
  return { sent, answered, responseRate: sent ? answered / sent : null, average: f.average === null ? null : Math.round(Number(f.average) * 100) / 100 };
};

/** Response rate, average, distribution, per agent and team, and comments (paginated) for surveys sent in [from, to). */
export async function csatReport(db: Db, actor: Actor, q: ReportQuery) {
  requireAccess(actor, 'inbox:read');
  const to = q.to ?? new Date();
  const from = q.from ?? new Date(to.getTime() - 30 * DAY);
  if (from >= to) throw invalid([{ path: 'from', message: 'from is before to' }]);
  const f = { from, to, teamId: q.teamId, memberId: q.memberId };
  const ws = actor.workspaceId;
  const [totals, distribution, agents, teams, comments] = await Promise.all([
    report.totals(db, ws, f),
    report.distribution(db, ws, f),
    report.byAgent(db, ws, f),
    report.byTeam(db, ws, f),
    report.comments(db, ws, f, { after: afterNewestFirst('s.answered_at', 's.id', q.cursor), limit: q.limit }),
  ]);
  const counts = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
  for (const d of distribution) counts[d.rating as 1] = Number(d.n);
  return {
    from,
    to,
    ...rate(totals),
    distribution: counts,
    byAgent: agents.map((a) => ({ memberId: a.member_id, name: a.name, ...rate(a) })),
    byTeam: teams.map((t) => ({ teamId: t.team_id, name: t.name, ...rate(t) })),
    comments: toPage(comments, q.limit, (c) => [c.answered_at!.toISOString(), c.id], (c) => ({
      surveyId: c.id,
      conversationId: c.conversation_id,
      memberId: c.member_id,
      memberName: c.member_name,
      teamId: c.team_id,
      rating: c.rating!,
      comment: c.comment!,
      answeredAt: c.answered_at!,
    })),
  };
}
