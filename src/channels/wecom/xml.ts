// WeCom's XML, read without coercion: every value stays a string (message ids exceed 2^53, and
// a text that looks like a number is still a text), CDATA is taken verbatim, no attributes,
// no DOCTYPE entities.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

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
