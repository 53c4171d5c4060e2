// The WeChat family's XML (WeCom and official accounts), read without coercion: every value stays a string (message ids exceed 2^53, and
// a text that looks like a number is still a text), CDATA is taken verbatim, no attributes,
// no DOCTYPE entities.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { MediaRef, MessageContent } from './adapter.js';

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

export type XmlFields = Record<string, unknown>;

/** The children of the root `<xml>` element; undefined for anything else. */
export function readXml(text: string): XmlFields | undefined {
  if (XMLValidator.validate(text) !== true) return undefined;
  let doc: unknown;
  try {
    doc = parser.parse(text);
  } catch {
    return undefined;
  }
  const root = (doc as { xml?: unknown } | null)?.xml;
  return root && typeof root === 'object' && !Array.isArray(root) ? (root as XmlFields) : undefined;
}

/** A field's text (a repeated field's first), or undefined. */
export function field(x: XmlFields, name: string): string | undefined {
  const value = Array.isArray(x[name]) ? (x[name] as unknown[])[0] : x[name];
  return typeof value === 'string' ? value : undefined;
}

/** A field that holds one value (an id, a type): trimmed, so the layout between tags never counts. */
export function word(x: XmlFields, name: string): string | undefined {
  const value = field(x, name)?.trim();
  return value ? value : undefined;
}

const cdata = (value: string) => `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;

/** The encrypted passive-reply envelope (official library template). */
export function replyEnvelope(p: { encrypt: string; signature: string; timestamp: string; nonce: string }): string {
  return `<xml><Encrypt>${cdata(p.encrypt)}</Encrypt><MsgSignature>${cdata(p.signature)}</MsgSignature><TimeStamp>${p.timestamp}</TimeStamp><Nonce>${cdata(p.nonce)}</Nonce></xml>`;
}

/** A callback body (what WeCom posts): used by tests and the fake WeCom server. */
export function callbackEnvelope(p: { toUserName: string; encrypt: string; agentId?: string }): string {
  return `<xml><ToUserName>${cdata(p.toUserName)}</ToUserName><Encrypt>${cdata(p.encrypt)}</Encrypt>${p.agentId ? `<AgentID>${cdata(p.agentId)}</AgentID>` : ''}</xml>`;
}

/** When the callback says it happened (CreateTime, Unix seconds); now when it does not say. */
export function createdAt(x: XmlFields): Date {
  const seconds = Number(word(x, 'CreateTime'));
  return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : new Date();
}

const MEDIA: Record<string, { kind: 'image' | 'audio' | 'video' | 'file'; mimeType: string; ext: string }> = {
  image: { kind: 'image', mimeType: 'image/jpeg', ext: 'jpg' },
  voice: { kind: 'audio', mimeType: 'audio/amr', ext: 'amr' },
  video: { kind: 'video', mimeType: 'video/mp4', ext: 'mp4' },
  shortvideo: { kind: 'video', mimeType: 'video/mp4', ext: 'mp4' },
  file: { kind: 'file', mimeType: 'application/octet-stream', ext: 'bin' },
};

/**
 * What a message callback holds (the same XML from WeCom and official accounts): text, location,
 * link, or a file by reference (MediaId, fetched by the worker); undefined for a kind Renmai does
 * not keep. Throws on a location or link without its fields.
 */
export function messageOf(x: XmlFields, msgType: string, msgId: string): { content: MessageContent; mediaRefs?: MediaRef[] } | undefined {
  switch (msgType) {
    case 'text':
      return { content: { kind: 'text', text: field(x, 'Content') ?? '' } };
    case 'location': {
      const latitude = Number(word(x, 'Location_X'));
      const longitude = Number(word(x, 'Location_Y'));
      if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) throw new Error('Location_X / Location_Y are not numbers');
      const label = field(x, 'Label');
      return { content: { kind: 'location', text: label, location: { latitude, longitude, ...(label ? { address: label } : {}) } } };
    }
    case 'link': {
      const url = word(x, 'Url');
      if (!url) throw new Error('Url missing');
      const title = field(x, 'Title');
      return { content: { kind: 'link', text: title ?? url, link: { url, title, description: field(x, 'Description'), imageUrl: word(x, 'PicUrl') } } };
    }
    default: {
      const media = MEDIA[msgType];
      const mediaId = word(x, 'MediaId');
      if (!media || !mediaId) return undefined;
      // Voice: amr or speex; an official account's speech recognition, when turned on, is the text.
      const ext = msgType === 'voice' ? (word(x, 'Format')?.toLowerCase() ?? media.ext) : media.ext;
      const ref: MediaRef = { ref: mediaId, fileName: field(x, 'FileName')?.trim() || `${msgType}-${msgId}.${ext}`, mimeType: msgType === 'voice' && ext !== 'amr' ? `audio/${ext}` : media.mimeType };
      const recognition = msgType === 'voice' ? field(x, 'Recognition')?.trim() : undefined;
      return { content: { kind: media.kind, ...(recognition ? { text: recognition } : {}) }, mediaRefs: [ref] };
    }
  }
}
