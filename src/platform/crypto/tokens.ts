import { createHash, randomBytes, randomInt } from 'node:crypto';

/** An unguessable token for cookies, invitation links and API keys (256 bits). */
export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

/** Tokens are stored only as their SHA-256: a leaked table does not leak working credentials. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const SLUG_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
/**
 * A short public id of [a-z0-9] (12 characters: about 62 bits): url-safe, case-proof, and within
 * every provider's source parameter (WeCom State ≤ 30, Telegram start ≤ 64).
 */
export const randomSlug = (length = 12) => Array.from({ length }, () => SLUG_ALPHABET[randomInt(SLUG_ALPHABET.length)]).join('');
