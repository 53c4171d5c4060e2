// The visitor's token: who they are on which channel, sealed (AES-256-GCM, authenticated) with the
// channel keyring, so it is both unreadable and unforgeable without a database row. The browser
// keeps it in localStorage beside the visitor id. An anonymous visitor's token does not expire (it
// is what makes them the same visitor tomorrow); a verified one does, and the site vouches again.
// The socket is opened with a ticket instead: the same sealed shape, good for a minute and for
// nothing else, since a URL's query (`?token=`) ends up in access logs.
import type { Keyring } from '../channels/index.js';
import { AppError } from '../../platform/http/errors.js';

const BINDING = 'renmai widget visitor token v1';
const VERIFIED_TTL_MS = 7 * 24 * 3600_000;
const TICKET_TTL_MS = 60_000;

export type TokenUse = 'http' | 'socket';

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
  /** Verified by the site. */
  u?: 1;
  /** Expiry (ms since the epoch): verified visitors' tokens and socket tickets. */
  x?: number;
  /** A socket ticket. */
  s?: 1;
}

const seal = (keyring: Keyring, sealed: Sealed) => keyring.seal(sealed as unknown as Record<string, unknown>, BINDING).toString('base64url');
const sealedOf = (v: Visitor): Sealed => ({ w: v.workspaceId, c: v.channelId, v: v.visitorId, ...(v.verified ? { u: 1 } : {}) });

export const issueToken = (keyring: Keyring, visitor: Visitor, now = Date.now()) => seal(keyring, { ...sealedOf(visitor), ...(visitor.verified ? { x: now + VERIFIED_TTL_MS } : {}) });

export const issueTicket = (keyring: Keyring, visitor: Visitor, now = Date.now()) => seal(keyring, { ...sealedOf(visitor), x: now + TICKET_TTL_MS, s: 1 });

/** The visitor a token (or, for the socket, a ticket) names; undefined when forged, damaged, expired or meant for the other use. */
export function readToken(keyring: Keyring, token: string, use: TokenUse = 'http', now = Date.now()): Visitor | undefined {
  try {
    const s = keyring.open(Buffer.from(token, 'base64url'), BINDING) as unknown as Sealed;
    if (typeof s.w !== 'string' || typeof s.c !== 'string' || typeof s.v !== 'string') return undefined;
    if (s.x !== undefined && s.x < now) return undefined;
    if ((s.s === 1) !== (use === 'socket')) return undefined;
    return { workspaceId: s.w, channelId: s.c, visitorId: s.v, verified: s.u === 1 };
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
