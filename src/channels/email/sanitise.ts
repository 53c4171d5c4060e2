// Inbound HTML as the console may show it: an allowlist of formatting tags and attributes.
// Scripts, styles, forms, frames and event handlers go; links keep only http(s), mailto and tel
// and open apart from the console; images only from the message itself (`cid:`), so opening a
// mail loads nothing remote (no tracking pixels); inline styles only for colour, alignment and
// emphasis, so no `url(…)` can load either.
import sanitizeHtml from 'sanitize-html';

const colour = [/^#[0-9a-f]{3,8}$/i, /^rgba?\(\s*[\d.\s,%]+\)$/i, /^[a-z]{3,20}$/i];

const options: sanitizeHtml.IOptions = {
  allowedTags: [
    'a', 'abbr', 'b', 'blockquote', 'br', 'caption', 'center', 'code', 'col', 'colgroup', 'dd', 'del', 'div', 'dl', 'dt', 'em', 'font',
    'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'ins', 'li', 'ol', 'p', 'pre', 'q', 's', 'small', 'span', 'strike', 'strong',
    'sub', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'u', 'ul',
  ],
  allowedAttributes: {
    a: ['href', 'title', 'rel', 'target'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    font: ['color'],
    td: ['colspan', 'rowspan', 'align', 'valign', 'width'],
    th: ['colspan', 'rowspan', 'align', 'valign', 'width'],
    table: ['border', 'cellpadding', 'cellspacing', 'width'],
    '*': ['style', 'dir', 'lang', 'align'],
  },
  allowedStyles: {
    '*': {
      color: colour,
      'background-color': colour,
      'text-align': [/^(left|right|center|justify)$/],
      'font-weight': [/^(normal|bold|[1-9]00)$/],
      'font-style': [/^(normal|italic)$/],
      'text-decoration': [/^(none|underline|line-through)$/],
    },
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['cid'] },
  allowProtocolRelative: false,
  // Their text is not content: drop it with the tag.
  nonTextTags: ['head', 'title', 'style', 'script', 'noscript', 'textarea', 'option', 'template'],
  // The scheme lists let relative URLs through, which would reach the console's own origin.
  transformTags: {
    a: (tagName, { href, ...attribs }) => ({ tagName, attribs: { ...attribs, ...(href && /^(https?|mailto|tel):/i.test(href.trim()) ? { href } : {}), rel: 'noopener noreferrer nofollow', target: '_blank' } }),
    img: (tagName, { src, ...attribs }) => ({ tagName, attribs: { ...attribs, ...(src && /^cid:/i.test(src.trim()) ? { src } : {}) } }),
  },
  // An image whose source was removed (remote, relative, data:) would be an empty box.
  exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
};

export const sanitiseHtml = (html: string) => sanitizeHtml(html, options).trim();
