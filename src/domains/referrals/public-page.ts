// A referral code's short link, GET /r/<slug> (public, no account: the slug is the whole
// credential, and it only leads to a channel). Each open is a visit (no IP address or user agent
// kept); the visitor then goes to the programme's channel by its deep link carrying r_<slug> —
// the source that names the referrer — or, when the channel has none, to a small page naming the
// channel. An unknown slug, or a disabled programme's, is a 404 page.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { escapeHtml, pageLanguage, sendPublicPage, simplePage, type PageLanguage } from '../../platform/http/public-page.js';
import { channelEntry } from '../channels/index.js';
import { CODE_SOURCE } from './codes.js';
import * as store from './codes-store.js';
import { workspaceLocale } from './queries/refs.js';

const copy = {
  en: { title: 'You are invited', channel: (name: string) => `Find us on ${name}.`, unknown: 'This link is not valid or is no longer in use.' },
  zh: { title: '邀请您加入', channel: (name: string) => `请通过「${name}」联系我们。`, unknown: '此链接无效或已停用。' },
} as const;

const page = (lang: PageLanguage, text: string) => simplePage(lang, copy[lang].title, `<p>${escapeHtml(text)}</p>`);
const params = z.object({ slug: z.string().max(64) });

export const referralPageRoutes: FastifyPluginAsync = async (app) => {
  const { db } = app.ctx;
  app.get('/r/:slug', { schema: { hide: true } }, async (request, reply) => {
    const { slug } = params.parse(request.params);
    const asked = pageLanguage(request.headers['accept-language']);
    const code = /^[a-z0-9]{12}$/.test(slug) ? await store.publicCode(db, slug) : undefined;
    if (!code) return sendPublicPage(reply, 404, page(asked ?? 'zh', copy[asked ?? 'zh'].unknown));
    await store.insertVisit(db, code.workspace_id, code.id);
    const entry = await channelEntry(db, code.workspace_id, code.channel_id, `${CODE_SOURCE}${code.slug}`);
    if (entry?.link) return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect(entry.link, 302);
    const lang = asked ?? ((await workspaceLocale(db, code.workspace_id))?.startsWith('en') ? 'en' : 'zh');
    return sendPublicPage(reply, 200, page(lang, copy[lang].channel(entry?.name ?? '')));
  });
};
