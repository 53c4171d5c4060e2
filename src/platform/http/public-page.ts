// What the server-rendered public pages (a satisfaction survey, a live code's landing page) share:
// text escaped for HTML, and the visitor's language of the two the pages are written in.

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
