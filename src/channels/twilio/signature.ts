// X-Twilio-Signature (https://www.twilio.com/docs/usage/security#validating-requests):
// base64(HMAC-SHA1(auth token, URL + each POST parameter's name and value, names sorted)).
// Written here rather than taken from the `twilio` package: its validateRequest is these lines,
// while the package brings 53 other packages (~30 MB: axios, jsonwebtoken, dayjs, qs, …) for a
// REST client Renmai cannot use (its calls must pass the SSRF guard of ../http.ts). The accepted
// URL forms follow twilio-node 6.3.1's validateRequest exactly, because Twilio's own URL
// normalisation is inconsistent: the URL as received with its port removed or the default port
// added, then the WHATWG-normalised URL the same two ways, with and without the query re-encoded
// as Node's legacy querystring does. Golden tests: PROTOCOLS.md §7.1 T1–T9.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { parse as parseQuery, stringify as stringifyQuery } from 'node:querystring';

/** Form parameters by name; a repeated name has several values. */
export type TwilioParams = Record<string, string | string[]>;

/** The string Twilio signs: the URL, then name + value per parameter (names sorted; a repeated name's values de-duplicated and sorted). */
export function stringToSign(url: string, params: TwilioParams): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name]!;
    for (const v of Array.isArray(value) ? [...new Set(value)].sort() : [value]) data += name + v;
  }
  return data;
}

export const twilioSignature = (authToken: string, url: string, params: TwilioParams) => createHmac('sha1', authToken).update(Buffer.from(stringToSign(url, params), 'utf8')).digest('base64');

/** Scheme, authority split into host and port, and the rest, without normalising anything. */
function splitUrl(url: string) {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i.exec(url);
  if (!m) return undefined;
  const [prefix, scheme, authority] = m as unknown as [string, string, string];
  const at = authority.lastIndexOf('@');
  const hostPort = authority.slice(at + 1);
  const colon = hostPort.indexOf(':', hostPort.lastIndexOf(']') + 1);
  return {
    scheme,
    userInfo: authority.slice(0, at + 1),
    host: colon === -1 ? hostPort : hostPort.slice(0, colon),
    port: colon === -1 ? '' : hostPort.slice(colon),
    rest: url.slice(prefix.length),
  };
}

function withoutPort(url: string) {
  const p = splitUrl(url);
  return p ? p.scheme + p.userInfo + p.host + p.rest : url;
}

function withDefaultPort(url: string) {
  const p = splitUrl(url);
  if (!p || p.port) return url;
  return p.scheme + p.userInfo + p.host + (p.scheme.toLowerCase() === 'https://' ? ':443' : ':80') + p.rest;
}

function withLegacyQuery(url: string) {
  const q = url.indexOf('?');
  if (q === -1 || q === url.length - 1) return url;
  return `${url.slice(0, q)}?${stringifyQuery(parseQuery(url.slice(q + 1)))}`;
}

/** The URL forms a signature may be over, in twilio-node's order. */
export function candidateUrls(url: string): string[] {
  const asReceived = [withoutPort(url), withDefaultPort(url)];
  let normalised: string;
  try {
    normalised = new URL(url).toString();
  } catch {
    return asReceived;
  }
  const n = [withoutPort(normalised), withDefaultPort(normalised)];
  return [...new Set([...asReceived, ...n, ...n.map(withLegacyQuery)])];
}

function same(given: string, expected: string) {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * True when `signature` signs the request. A form POST is signed over its parameters; a JSON body
 * is signed over the URL alone, which then carries bodySHA256 = hex SHA-256 of the raw body.
 */
export function twilioSignatureValid(authToken: string, signature: string | undefined, url: string, body: { params: TwilioParams } | { raw: Buffer | string }): boolean {
  if (!signature) return false;
  const params = 'params' in body ? body.params : {};
  if (!candidateUrls(url).some((u) => same(signature, twilioSignature(authToken, u, params)))) return false;
  if ('params' in body) return true;
  let bodyHash: string | null;
  try {
    bodyHash = new URL(url).searchParams.get('bodySHA256');
  } catch {
    return false;
  }
  return same(bodyHash ?? '', createHash('sha256').update(body.raw).digest('hex'));
}

/** A form body's parameters as Twilio sent them (application/x-www-form-urlencoded). */
export function formParams(raw: Buffer): TwilioParams {
  const params: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(raw.toString('utf8'))) {
    const had = params[name];
    params[name] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value];
  }
  return params;
}
