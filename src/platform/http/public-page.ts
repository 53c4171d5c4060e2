// What the server-rendered public pages (a satisfaction survey, a live or group code's page)
// share: text escaped for HTML, the visitor's language of the two the pages are written in, and a
// small page sent with headers that keep it private (no script, not cached, no referrer).
import type { FastifyReply } from 'fastify';

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export type PageLanguage = 'zh' | 'en';

/** The browser's preferred of our two languages by q-value (Accept-Language); undefined when it names neither. */
export function pageLanguage(header: string | undefined): PageLanguage | undefined {
  const ranked = (header ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = Number(params.find((p) => p.trim().startsWith('q='))?.trim().slice(2) ?? 1);
      return { tag, q: Number.isFinite(q) ? q : 0 };
    })
    .filter((l) => l.q > 0 && (l.tag.startsWith('zh') || l.tag.startsWith('en')))
    .sort((a, b) => b.q - a.q);
  return ranked[0] && (ranked[0].tag.startsWith('zh') ? 'zh' : 'en');
}

/** A small centred page: `body` is HTML, already escaped. */
export const simplePage = (lang: PageLanguage, title: string, body: string) => `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#222;text-align:center}img{max-width:100%}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;

/** Sends a public page: no script, images only from this server, not cached, not indexed, no referrer. */
export const sendPublicPage = (reply: FastifyReply, status: number, html: string) =>
  reply
    .code(status)
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; frame-ancestors 'none'")
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-store')
    .header('x-robots-tag', 'noindex')
    .type('text/html; charset=utf-8')
    .send(html);
