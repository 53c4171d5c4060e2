// The group code's public link, GET /g/<slug> (no account): each visit is a scan (scan.ts) and is
// sent to its group — 302 to the group's invite link, or a page showing the group's QR image
// (GET /g/<slug>/qr/<group id>, served only through its own code) to scan or long-press in WeChat;
// when every group is full, a page saying so. Chinese or English by Accept-Language, else the
// workspace's language. An unknown or disabled slug is a 404 page.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { escapeHtml, pageLanguage, sendPublicPage, simplePage, type PageLanguage } from '../../platform/http/public-page.js';
import { scan } from './scan.js';
import { publicQrImage } from './store.js';

const copy = {
  en: {
    title: 'Join the group',
    scan: (name: string) => `Scan or long-press the QR code to join “${name}”.`,
    full: 'All groups are full right now; please try again later.',
    unknown: 'This link is not valid or is no longer in use.',
  },
  zh: {
    title: '加入群聊',
    scan: (name: string) => `长按或扫描二维码，加入「${name}」`,
    full: '群已满，请稍后再试。',
    unknown: '此链接无效或已停用。',
  },
} as const;

const page = (lang: PageLanguage, body: string) => simplePage(lang, copy[lang].title, body);
const paragraph = (text: string) => `<p>${escapeHtml(text)}</p>`;

const SLUG = /^[a-z0-9]{12}$/;
const params = z.object({ slug: z.string().max(64) });
const imageParams = params.extend({ groupId: z.string().max(64) });

export const groupCodePageRoutes: FastifyPluginAsync = async (app) => {
  const { db } = app.ctx;
  app.get('/g/:slug', { schema: { hide: true } }, async (request, reply) => {
    const { slug } = params.parse(request.params);
    const asked = pageLanguage(request.headers['accept-language']);
    const result = SLUG.test(slug) ? await scan(db, slug) : undefined;
    if (!result) return sendPublicPage(reply, 404, page(asked ?? 'zh', paragraph(copy[asked ?? 'zh'].unknown)));
    const lang = asked ?? (result.workspaceLocale.startsWith('en') ? 'en' : 'zh');
    const { group } = result;
    if (group?.joinUrl) return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect(group.joinUrl, 302);
    if (!group) return sendPublicPage(reply, 200, page(lang, paragraph(copy[lang].full)));
    const image = `<img src="/g/${slug}/qr/${group.id}" alt="${escapeHtml(group.name)}" width="280" height="280">`;
    return sendPublicPage(reply, 200, page(lang, paragraph(copy[lang].scan(group.name)) + image));
  });

  app.get('/g/:slug/qr/:groupId', { schema: { hide: true } }, async (request, reply) => {
    const { slug, groupId } = imageParams.parse(request.params);
    const found = SLUG.test(slug) && z.uuid().safeParse(groupId).success ? await publicQrImage(db, slug, groupId) : undefined;
    if (!found?.qr_image) return reply.code(404).type('text/plain').send('Not found');
    return reply.type(found.qr_image_type!).header('cache-control', 'no-store').header('x-content-type-options', 'nosniff').send(found.qr_image);
  });
};
