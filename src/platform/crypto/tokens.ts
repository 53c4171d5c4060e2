import { createHash, randomBytes } from 'node:crypto';

/** An unguessable token for cookies, invitation links and API keys (256 bits). */
export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

/** Tokens are stored only as their SHA-256: a leaked table does not leak working credentials. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
