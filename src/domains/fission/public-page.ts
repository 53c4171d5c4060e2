// The personal link and the participant's page (public, no account: the token is the whole
// credential, and it shows only what the poster shows plus the progress count).
// - GET /f/<token>: records a visit (hashes of the IP and user agent, no address kept), then 302 to
//   the channel's entry link carrying f_<token> (the invite); without one, the page below.
// - GET /f/<token>/page: the mobile page — poster, progress toward each tier, rewards, rules and
//   a button to the channel — in Chinese or English by Accept-Language (else the workspace's).
// - GET /f/<token>/poster.png: the personal poster.
// A draft campaign's, or an unknown, token is a 404 page.
import { createHash } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Db } from '../../platform/db/connect.js';
import { escapeHtml, pageLanguage, type PageLanguage } from '../../platform/http/public-page.js';
import { channelEntry } from '../channels/index.js';
import * as invites from './invites-store.js';
import { PARTICIPANT_SOURCE } from './invites.js';
import { posterOf } from './poster-service.js';
import { contactCard, workspaceLocale } from './queries/refs.js';
import * as store from './store.js';
import { TOKEN } from './tokens.js';

const copy = {
  en: {
    title: 'Invite friends, get rewards',
    unknown: 'This link is not valid or is no longer in use.',
    progress: (n: number) => `Friends invited: ${n}`,
    tier: (goal: number, name: string) => `Invite ${goal}: ${name}`,
    status: { reached: 'reached', held: 'reached — on hold', granted: 'granted', awaiting_fulfilment: 'granted — on its way', fulfilled: 'granted', revoked: 'no longer reached' } as Record<string, string>,
    rules: 'Rules',
    join: 'Join us',
    ended: 'This campaign has ended.',
    poster: 'Your poster',
  },
  zh: {
    title: '邀请好友，领取奖励',
    unknown: '此链接无效或已停用。',
    progress: (n: number) => `已邀请好友：${n} 人`,
    tier: (goal: number, name: string) => `邀请 ${goal} 人：${name}`,
    status: { reached: '已达成', held: '已达成，审核期中', granted: '已发放', awaiting_fulfilment: '已达成，等待发放', fulfilled: '已发放', revoked: '未达成' } as Record<string, string>,
    rules: '活动规则',
    join: '立即参加',
    ended: '活动已结束。',
    poster: '专属海报',
  },
} as const;

const STYLE = `body{font-family:system-ui,"Noto Sans SC",sans-serif;margin:0;background:#fff7f0;color:#222}
main{max-width:30rem;margin:0 auto;padding:1rem}h1{font-size:1.4rem;text-align:center}
img.poster{width:100%;height:auto;border-radius:.5rem;box-shadow:0 2px 8px #0002}
.progress{font-size:1.2rem;font-weight:600;margin:1rem 0 .5rem}
ol{padding:0;list-style:none}li{background:#fff;border-radius:.5rem;margin:.5rem 0;padding:.6rem .8rem}
.bar{height:.5rem;background:#eee;border-radius:.25rem;overflow:hidden;margin-top:.4rem}.bar span{display:block;height:100%;background:#ff7a45}
.state{float:right;color:#d4380d;font-size:.9rem}a.join{display:block;text-align:center;background:#ff7a45;color:#fff;padding:.8rem;border-radius:2rem;text-decoration:none;margin:1rem 0}
.rules{white-space:pre-wrap;font-size:.9rem;color:#555}`;

const send = (reply: FastifyReply, status: number, html: string) =>
  reply
    .code(status)
    .header('content-security-policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'")
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-store')
    .header('x-robots-tag', 'noindex')
    .type('text/html; charset=utf-8')
    .send(html);

const shell = (lang: PageLanguage, body: string) => `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(copy[lang].title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;

const hashOf = (salt: string, value: string | undefined) => (value ? createHash('sha256').update(`${salt}:${value}`).digest('hex').slice(0, 32) : null);

type Found = NonNullable<Awaited<ReturnType<typeof store.publicParticipant>>>;

async function pageOf(db: Db, found: Found, lang: PageLanguage, entryLink: string | null) {
  const t = copy[lang];
  const campaign = (await store.findCampaign(db, found.workspace_id, found.campaign_id))!;
  const tiers = await store.tiersOf(db, found.workspace_id, [campaign.id]);
  const valid = (await invites.progressOf(db, found.workspace_id, [found.id])).get(found.id)?.counted ?? 0;
  const rewards = await invites.rewardsOf(db, found.workspace_id, [found.id]);
  const name = (await contactCard(db, found.workspace_id, found.contact_id))?.name ?? '';
  const items = tiers.map((tier) => {
    const state = rewards.find((r) => r.tier === tier.tier)?.status ?? (valid >= tier.goal ? 'reached' : undefined);
    const percent = Math.min(100, Math.round((valid / tier.goal) * 100));
    return `<li data-tier="${tier.tier}">${state ? `<span class="state">${escapeHtml(t.status[state] ?? state)}</span>` : ''}${escapeHtml(t.tier(tier.goal, tier.reward_name))}<div class="bar"><span style="width:${percent}%"></span></div></li>`;
  });
  const ended = campaign.status === 'ended' || campaign.ends_at <= new Date();
  return shell(
    lang,
    `<h1>${escapeHtml(campaign.name)}</h1>
<img class="poster" src="/f/${found.token}/poster.png" alt="${escapeHtml(`${t.poster} ${name}`)}" width="${campaign.poster_layout.width}" height="${campaign.poster_layout.height}">
<p class="progress" data-valid="${valid}">${escapeHtml(t.progress(valid))}</p>
<ol>${items.join('')}</ol>
${ended ? `<p>${escapeHtml(t.ended)}</p>` : entryLink ? `<a class="join" href="${escapeHtml(entryLink)}">${escapeHtml(t.join)}</a>` : ''}
${campaign.rules_text ? `<h2>${escapeHtml(t.rules)}</h2><p class="rules">${escapeHtml(campaign.rules_text)}</p>` : ''}`,
  );
}

const params = z.object({ token: z.string().max(64) });

export function fissionPageRoutes(config: Config): FastifyPluginAsync {
  return async (app) => {
    const { db } = app.ctx;
    const find = async (token: string) => (TOKEN.test(token) ? store.publicParticipant(db, token) : undefined);
    const language = async (accept: string | undefined, workspaceId: string | undefined) =>
      pageLanguage(accept) ?? (workspaceId && (await workspaceLocale(db, workspaceId))?.startsWith('en') ? 'en' : 'zh');
    const entryOf = async (found: Found) => {
      const campaign = (await store.findCampaign(db, found.workspace_id, found.campaign_id))!;
      return (await channelEntry(db, found.workspace_id, campaign.channel_id, `${PARTICIPANT_SOURCE}${found.token}`))?.link ?? null;
    };
    const notFoundPage = async (reply: FastifyReply, accept: string | undefined) => {
      const lang = await language(accept, undefined);
      return send(reply, 404, shell(lang, `<p>${escapeHtml(copy[lang].unknown)}</p>`));
    };

    app.get('/f/:token', { schema: { hide: true } }, async (request, reply) => {
      const found = await find(params.parse(request.params).token);
      if (!found) return notFoundPage(reply, request.headers['accept-language']);
      await invites.insertVisit(db, found.workspace_id, { participantId: found.id, ipHash: hashOf(found.campaign_id, request.ip), userAgentHash: hashOf('ua', request.headers['user-agent']) });
      const link = await entryOf(found);
      if (link) return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect(link, 302);
      return send(reply, 200, await pageOf(db, found, await language(request.headers['accept-language'], found.workspace_id), null));
    });

    app.get('/f/:token/page', { schema: { hide: true } }, async (request, reply) => {
      const found = await find(params.parse(request.params).token);
      if (!found) return notFoundPage(reply, request.headers['accept-language']);
      return send(reply, 200, await pageOf(db, found, await language(request.headers['accept-language'], found.workspace_id), await entryOf(found)));
    });

    app.get('/f/:token/poster.png', { schema: { hide: true } }, async (request, reply) => {
      const found = await find(params.parse(request.params).token);
      if (!found) return notFoundPage(reply, request.headers['accept-language']);
      const { png } = await posterOf(db, config, found.workspace_id, found);
      return reply.type('image/png').header('cache-control', 'public, max-age=300').header('x-robots-tag', 'noindex').send(png);
    });
  };
}
