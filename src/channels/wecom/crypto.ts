// WeCom callback crypto (WXBizMsgCrypt), doc 91144: msg_signature = SHA1 of the sorted
// [token, timestamp, nonce, encrypt]; AES-256-CBC with IV = key[0..16) over
// random(16) | msg_len (uint32 BE) | msg | receiveid | PKCS#7 pad to 32-byte blocks.
// The official @wecom/crypto does the cipher with Node's automatic padding off (Node's own
// check assumes 16-byte blocks and fails on WeCom's pads of 17..32). It does not check the
// signature in constant time, the pad's value or the declared length, nor the receiveid: those
// checks are ours, below, so a request fails closed whichever part is wrong.
// Error codes are the official libraries' (-40001 signature … -40008 buffer).
import { timingSafeEqual } from 'node:crypto';
import { decrypt as wecomDecrypt, encrypt as wecomEncrypt, getSignature } from '@wecom/crypto';

export type WecomCryptoCode = -40001 | -40002 | -40004 | -40005 | -40007 | -40008;

export class WecomCryptoError extends Error {
  constructor(
    readonly code: WecomCryptoCode,
    message: string,
  ) {
    super(`${code} ${message}`);
    this.name = 'WecomCryptoError';
  }
}

/** EncodingAESKey: 43 characters of [A-Za-z0-9]; with "=" appended, base64 of the 32-byte key. */
export const ENCODING_AES_KEY = /^[A-Za-z0-9]{43}$/;

export interface WecomCryptoKeys {
  token: string;
  encodingAESKey: string;
  /** The CorpID for a self-built app (the suite id or auth CorpID for third-party apps, the AppID for an official account). */
  receiveId: string;
}

export const signature = (token: string, timestamp: string, nonce: string, encrypt: string) => getSignature(token, timestamp, nonce, encrypt);

/** True when `given` is the signature of these values; constant time. */
export function signatureMatches(keys: Pick<WecomCryptoKeys, 'token'>, p: { timestamp: string; nonce: string; encrypt: string; signature: string }): boolean {
  const expected = Buffer.from(signature(keys.token, p.timestamp, p.nonce, p.encrypt));
  const actual = Buffer.from(p.signature.toLowerCase());
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The plaintext message of `encrypt`; throws WecomCryptoError unless it decrypts and names our receiveid. */
export function decryptMessage(keys: WecomCryptoKeys, encrypt: string): string {
  if (!ENCODING_AES_KEY.test(keys.encodingAESKey)) throw new WecomCryptoError(-40004, 'illegal EncodingAESKey');
  const raw = Buffer.from(encrypt, 'base64');
  // AES-CBC blocks are 16 bytes; a whole plaintext is at least random + length + one pad byte.
  if (raw.length < 32 || raw.length % 16 !== 0) throw new WecomCryptoError(-40007, 'ciphertext length is not whole AES blocks');
  let out: { message: string; id: string; random: Buffer };
  try {
    out = wecomDecrypt(keys.encodingAESKey, encrypt);
  } catch {
    throw new WecomCryptoError(-40007, 'AES decryption failed');
  }
  // The library leaves an invalid pad (outside 1..32) in place and cuts the message at the
  // declared length: either way the trailing id is not ours, so this one check refuses both.
  if (!keys.receiveId || out.id !== keys.receiveId) throw new WecomCryptoError(-40005, 'receiveid does not match');
  return out.message;
}

/** `msg_encrypt` of a message (random bytes fixed only by tests: the published vectors fix them). */
export function encryptMessage(keys: WecomCryptoKeys, message: string, random?: Buffer): string {
  if (!ENCODING_AES_KEY.test(keys.encodingAESKey)) throw new WecomCryptoError(-40004, 'illegal EncodingAESKey');
  return wecomEncrypt(keys.encodingAESKey, message, keys.receiveId, random);
}
