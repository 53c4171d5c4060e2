// Random identifiers of campaigns and participants: url-safe, and short enough that the arrival
// source (`fc_` + 12, `f_` + 16 characters) fits every provider's parameter (WeCom State ≤ 30).
import { randomInt } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const draw = (length: number) => Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

/** A campaign's slug: 12 characters (about 62 bits). */
export const newSlug = () => draw(12);
/** A participant's token: 16 characters (about 82 bits); the public link is all it guards. */
export const newToken = () => draw(16);
export const TOKEN = /^[a-z0-9]{16}$/;
