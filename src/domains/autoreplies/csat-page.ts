// The survey's public page at /csat/<token>: server-rendered HTML without script, every value
// escaped, in Chinese or English by the browser's Accept-Language (else the workspace's
// language), one answer per survey. The token is the only credential: the page sends no
// referrer and is never cached or indexed.
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { z } from 'zod';
import { answerByLink, surveyState } from './csat.js';
import { escapeHtml, pageLanguage } from '../../platform/http/public-page.js';

const copy = {
  en: {
    title: 'How did we do?',
    question: 'How satisfied are you with the help you got?',
    scale: ['1 – Very poor', '2 – Poor', '3 – OK', '4 – Good', '5 – Great'],
    comment: 'Anything you would like to tell us? (optional)',
    submit: 'Send',
    thanks: 'Thank you for your answer!',
    answered: 'This survey has been answered. Thank you!',
    expired: 'This survey has expired.',
    unknown: 'This survey link is not valid.',
    invalid: 'Please choose a rating from 1 to 5.',
  },
  zh: {
    title: '服务评价',
    question: '您对本次服务满意吗？',
    scale: ['1 – 非常不满意', '2 – 不满意', '3 – 一般', '4 – 满意', '5 – 非常满意'],
    comment: '还有什么想告诉我们的吗？（选填）',
    submit: '提交',
    thanks: '感谢您的评价！',
    answered: '此评价已提交，谢谢！',
    expired: '此评价链接已过期。',
    unknown: '此评价链接无效。',
    invalid: '请选择 1 到 5 分。',
  },
} as const;
type Lang = keyof typeof copy;

function page(lang: Lang, body: string) {
  const t = copy[lang];
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(t.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#222}fieldset{border:0;padding:0}label{display:block;margin:.4rem 0}textarea{width:100%;min-height:6rem}button{margin-top:1rem;padding:.5rem 1.5rem}.error{color:#b00}</style>
</head><body><h1>${escapeHtml(t.title)}</h1>${body}</body></html>`;
}

function form(lang: Lang, error?: string) {
  const t = copy[lang];
  const options = t.scale.map((label, i) => `<label><input type="radio" name="rating" value="${i + 1}" required> ${escapeHtml(label)}</label>`).join('');
  return `${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}<form method="post"><fieldset><legend>${escapeHtml(t.question)}</legend>${options}</fieldset>
<label for="comment">${escapeHtml(t.comment)}</label><textarea id="comment" name="comment" maxlength="2000"></textarea><button type="submit">${escapeHtml(t.submit)}</button></form>`;
}

const send = (reply: FastifyReply, status: number, html: string) =>
  reply
    .code(status)
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-store')
    .header('x-robots-tag', 'noindex')
    .type('text/html; charset=utf-8')
    .send(html);

const params = z.object({ token: z.string().max(100) });
const answer = z.object({ rating: z.coerce.number().int().min(1).max(5), comment: z.string().max(2000).optional() });

export const csatPageRoutes: FastifyPluginAsync = async (app) => {
  const { db } = app.ctx;
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16_384 }, (_request, body, done) =>
    done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );

  async function shown(token: string, acceptLanguage: string | undefined) {
    const s = await surveyState(db, token);
    const lang = pageLanguage(acceptLanguage) ?? ('locale' in s && s.locale.startsWith('zh') ? 'zh' : 'en');
    return { s, lang };
  }

  const closedPage = (reply: FastifyReply, lang: Lang, state: 'unknown' | 'answered' | 'expired') => send(reply, state === 'unknown' ? 404 : state === 'expired' ? 410 : 200, page(lang, `<p>${escapeHtml(copy[lang][state])}</p>`));

  app.get('/csat/:token', { schema: { hide: true } }, async (request, reply) => {
    const { token } = params.parse(request.params);
    const { s, lang } = await shown(token, request.headers['accept-language']);
    return s.state === 'open' ? send(reply, 200, page(lang, form(lang))) : closedPage(reply, lang, s.state);
  });

  app.post('/csat/:token', { schema: { hide: true } }, async (request, reply) => {
    const { token } = params.parse(request.params);
    const { s, lang } = await shown(token, request.headers['accept-language']);
    if (s.state !== 'open') return closedPage(reply, lang, s.state);
    const parsed = answer.safeParse(request.body ?? {});
    if (!parsed.success) return send(reply, 400, page(lang, form(lang, copy[lang].invalid)));
    const comment = parsed.data.comment?.trim() || null;
    if (!(await answerByLink(db, token, { rating: parsed.data.rating, comment }))) return closedPage(reply, lang, 'answered');
    return send(reply, 200, page(lang, `<p>${escapeHtml(copy[lang].thanks)}</p>`));
  });
};
