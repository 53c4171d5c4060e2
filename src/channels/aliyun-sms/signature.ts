// Alibaba Cloud's RPC signature, version 1.0 (HMAC-SHA1), as the SMS API (dysmsapi) documents it
// in 签名机制 / HTTP 协议及签名: the parameters but Signature sorted by name, names and values
// percent-encoded per RFC 3986 in UTF-8, joined with & and = ; then
// StringToSign = method & pct("/") & pct(query), and
// Signature = base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign)). Golden test: PROTOCOLS.md §7.2.
import { createHmac } from 'node:crypto';

/** RFC 3986 percent-encoding as Aliyun wants it: space → %20, * → %2A, ~ left alone (encodeURIComponent leaves !'()* as they are). */
export const percentEncode = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The canonicalised query: every parameter but Signature, sorted by name, encoded. */
export const canonicalQuery = (params: Readonly<Record<string, string>>) =>
  Object.keys(params)
    .filter((k) => k !== 'Signature')
    .sort()
    .map((k) => `${percentEncode(k)}=${percentEncode(params[k]!)}`)
    .join('&');

export const stringToSign = (method: 'GET' | 'POST', params: Readonly<Record<string, string>>) => `${method}&${percentEncode('/')}&${percentEncode(canonicalQuery(params))}`;

export const rpcSignature = (accessKeySecret: string, method: 'GET' | 'POST', params: Readonly<Record<string, string>>) =>
  createHmac('sha1', `${accessKeySecret}&`).update(stringToSign(method, params), 'utf8').digest('base64');
