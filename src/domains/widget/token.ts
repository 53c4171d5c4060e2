// The visitor's token: who they are on which channel, sealed (AES-256-GCM, authenticated) with the
// channel keyring, so it is both unreadable and unforgeable without a database row. The browser
// keeps it in localStorage beside the visitor id. An anonymous visitor's token does not expire (it
// is what makes them the same visitor tomorrow); a verified one does, and the site vouches again.
import type { Keyring } from '../channels/index.js';
import { AppError } from '../../platform/http/errors.js';

const BINDING = 'renmai widget visitor token v1';
const VERIFIED_TTL_MS = 7 * 24 * 3600_000;

export interface Visitor {
  workspaceId: string;
  channelId: string;
  /** The conversation's thread key and the contact identity's external id. */
  visitorId: string;
  verified: boolean;
}

interface Sealed {
  w: string;
  c: string;
  v: string;
  /** Expiry (ms since the epoch), verified visitors only. */
  x?: number;
}

export function issueToken(keyring: Keyring, visitor: Visitor, now = Date.now()): string {
  const sealed: Sealed = { w: visitor.workspaceId, c: visitor.channelId, v: visitor.visitorId, ...(visitor.verified ? { x: now + VERIFIED_TTL_MS } : {}) };
  return keyring.seal(sealed as unknown as Record<string, unknown>, BINDING).toString('base64url');
}

/** The visitor a token names, or undefined when it is forged, damaged or expired. */
export function readToken(keyring: Keyring, token: string, now = Date.now()): Visitor | undefined {
  try {
    const s = keyring.open(Buffer.from(token, 'base64url'), BINDING) as unknown as Sealed;
    if (typeof s.w !== 'string' || typeof s.c !== 'string' || typeof s.v !== 'string') return undefined;
    if (s.x !== undefined && s.x < now) return undefined;
    return { workspaceId: s.w, channelId: s.c, visitorId: s.v, verified: s.x !== undefined };
  } catch {
    return undefined;
  }
}

export const VISITOR_HEADER = 'x-renmai-visitor';

/** The visitor of a request to one channel's endpoints; 401 otherwise. */
export function requireVisitor(keyring: Keyring, token: string | undefined, channelId: string): Visitor {
  const visitor = token ? readToken(keyring, token) : undefined;
  if (!visitor || visitor.channelId !== channelId) {
    throw new AppError('unauthenticated', 'Start a widget session first (POST /widget/v1/channels/{id}/session)', { details: { reason: 'visitor_token_invalid' } });
  }
  return visitor;
}
