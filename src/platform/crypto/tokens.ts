import { createHash, randomBytes, randomInt } from 'node:crypto';
import { AppError } from '../http/errors.js';

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

/** Inserts a row under a freshly drawn slug, drawing again when `insert` answers undefined (a clash on its unique slug: practically never). */
export async function insertWithSlug<T>(insert: (slug: string) => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 5; i++) {
    const row = await insert(randomSlug());
    if (row) return row;
  }
  throw new AppError('conflict', 'Could not draw a free slug');
}
