// The live code's public link, GET /c/<slug> (no account: the slug is the whole credential, and
// it only leads to a channel). Each visit is a scan (pick.ts): a staff member is chosen and
// recorded (scan.ts), then the visitor goes on — 302 to the channel's entry link when its adapter can make
// one (Telegram t.me/<bot>?start=<slug>), 302 to a landing page with ?renmai_code=<slug>, or else
// a small page naming the staff member and the channel, in Chinese or English by
// Accept-Language (else the workspace's language). An unknown or disabled slug is a 404 page.
// The chosen member is remembered in a first-party cookie (renmai_staff_<workspace>, path /c) for
// exclusive codes.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { secureCookies } from '../../platform/http/cookies.js';
import { scan, staffCookieName, type ScanResult } from './scan.js';
import { escapeHtml, pageLanguage, sendPublicPage, simplePage } from '../../platform/http/public-page.js';

const copy = {
  en: {
    title: 'Get in touch',
    staff: (name: string) => `You will be talking with ${name}.`,
    channel: (name: string) => `Find us on ${name}.`,
    busy: 'Everyone is busy right now; we will get back to you as soon as we can.',
    unknown: 'This link is not valid or is no longer in use.',
  },
  zh: {
    title: '联系我们',
    staff: (name: string) => `为您服务的是：${name}`,
    channel: (name: string) => `请通过「${name}」联系我们。`,
    busy: '当前客服繁忙，我们会尽快与您联系。',
    unknown: '此链接无效或已停用。',
  },
} as const;
type Lang = keyof typeof copy;

const page = (lang: Lang, paragraphs: string[]) => simplePage(lang, copy[lang].title, paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join(''));

/** Where the visitor goes: a URL to redirect to, or the page's paragraphs. */
function destination(s: ScanResult, lang: Lang): { redirect: string } | { paragraphs: string[] } {
  if (s.landingUrl) {
    const url = new URL(s.landingUrl);
    url.searchParams.set('renmai_code', s.slug);
    return { redirect: url.toString() };
  }
  if (s.channel?.link) return { redirect: s.channel.link };
  return { paragraphs: [s.memberName ? copy[lang].staff(s.memberName) : copy[lang].busy, ...(s.channel ? [copy[lang].channel(s.channel.name)] : [])] };
}

/** How long a browser remembers its staff member for exclusive codes. */
const STAFF_COOKIE_DAYS = 365;

const params = z.object({ slug: z.string().max(64) });

export const liveCodePageRoutes: FastifyPluginAsync = async (app) => {
  const { db, config } = app.ctx;
  app.get('/c/:slug', { schema: { hide: true } }, async (request, reply) => {
    const { slug } = params.parse(request.params);
    const asked = pageLanguage(request.headers['accept-language']);
    const result = /^[a-z0-9]{12}$/.test(slug) ? await scan(db, slug, { userAgent: request.headers['user-agent'], cookies: request.cookies }) : undefined;
    if (!result) return sendPublicPage(reply, 404, page(asked ?? 'zh', [copy[asked ?? 'zh'].unknown]));
    const lang = asked ?? (result.workspaceLocale.startsWith('en') ? 'en' : 'zh');
    const to = destination(result, lang);
    if (result.memberId) reply.setCookie(staffCookieName(result.workspaceId), result.memberId, { path: '/c', httpOnly: true, sameSite: 'lax', secure: secureCookies(config), maxAge: STAFF_COOKIE_DAYS * 86_400 });
    if ('redirect' in to) return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect(to.redirect, 302);
    return sendPublicPage(reply, 200, page(lang, to.paragraphs));
  });
};
