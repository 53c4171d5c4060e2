// Participants' random tokens: url-safe, and short enough that the arrival
// source (`fc_` + 12, `f_` + 16 characters) fits every provider's parameter (WeCom State ≤ 30).
import { randomSlug } from '../../platform/crypto/tokens.js';

/** A participant's token: 16 characters (about 82 bits); the public link is all it guards. */
export const newToken = () => randomSlug(16);
export const TOKEN = /^[a-z0-9]{16}$/;
