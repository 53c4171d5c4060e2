// Visitor tokens and socket tickets: sealed, bound to their use, expiring where they should, and
// unforgeable (a flipped byte or another key opens nothing).
import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/http/errors.js';
import { keyringOf } from '../channels/index.js';
import { issueTicket, issueToken, readToken, requireVisitor } from './token.js';

const ring = (byte: number) => keyringOf({ CHANNEL_SECRETS_KEY: Buffer.alloc(32, byte).toString('base64'), DATA_DIR: '/nonexistent' });
const keyring = ring(1);
const anonymous = { workspaceId: 'w', channelId: 'c', visitorId: 'v_1', verified: false };
const verified = { ...anonymous, visitorId: 'user:42', verified: true };
const DAY = 24 * 3600_000;

describe('visitor tokens', () => {
  it('name their visitor; an anonymous one never expires, a verified one after a week', () => {
    const now = Date.now();
    expect(readToken(keyring, issueToken(keyring, anonymous, now), 'http', now + 365 * DAY)).toEqual(anonymous);
    const token = issueToken(keyring, verified, now);
    expect(readToken(keyring, token, 'http', now + 6 * DAY)).toEqual(verified);
    expect(readToken(keyring, token, 'http', now + 8 * DAY)).toBeUndefined();
  });

  it('keep to their use: tickets open sockets for a minute, tokens only HTTP', () => {
    const now = Date.now();
    const ticket = issueTicket(keyring, verified, now);
    expect(readToken(keyring, ticket, 'socket', now + 30_000)).toEqual(verified);
    expect(readToken(keyring, ticket, 'socket', now + 61_000)).toBeUndefined();
    expect(readToken(keyring, ticket, 'http', now)).toBeUndefined();
    expect(readToken(keyring, issueToken(keyring, anonymous, now), 'socket', now)).toBeUndefined();
  });

  it('cannot be forged or moved to another channel', () => {
    const token = issueToken(keyring, anonymous);
    const bytes = Buffer.from(token, 'base64url');
    bytes[bytes.length - 1]! ^= 1;
    expect(readToken(keyring, bytes.toString('base64url'))).toBeUndefined();
    expect(readToken(ring(2), token)).toBeUndefined();
    expect(readToken(keyring, 'not a token')).toBeUndefined();
    expect(requireVisitor(keyring, token, 'c')).toEqual(anonymous);
    expect(() => requireVisitor(keyring, token, 'another channel')).toThrow(AppError);
    expect(() => requireVisitor(keyring, undefined, 'c')).toThrow(AppError);
  });
});
