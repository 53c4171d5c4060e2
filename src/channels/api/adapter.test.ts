// The api adapter against external vectors and golden payloads: its signature is GitHub's
// X-Hub-Signature-256 scheme, so GitHub's published vector (PROTOCOLS.md §3.2) checks it.
import { describe, expect, it } from 'vitest';
import { ChannelPayloadError } from '../adapter.js';
import { apiAdapter, SIGNATURE_HEADER, sign } from './adapter.js';

const channel = { channelId: 'c', settings: { url: 'https://example.com/hook', identityType: 'web_visitor' as const }, secrets: { secret: "It's a Secret to Everybody" } };
const request = (body: string, signature?: string) => ({ method: 'POST' as const, headers: { [SIGNATURE_HEADER]: signature }, rawQuery: '', rawBody: Buffer.from(body) });

describe('api adapter', () => {
  it('signs as GitHub documents (external vector)', () => {
    expect(sign("It's a Secret to Everybody", 'Hello, World!')).toBe('sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17');
    expect(apiAdapter.verify(request('Hello, World!', 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17'), channel)).toBe(true);
  });

  it('refuses a tampered body, a wrong or missing signature', () => {
    const good = sign(channel.secrets.secret, 'Hello, World!');
    expect(apiAdapter.verify(request('Hello, World?', good), channel)).toBe(false);
    expect(apiAdapter.verify(request('Hello, World!', good.replace(/.$/, '0')), channel)).toBe(false);
    expect(apiAdapter.verify(request('Hello, World!', 'sha256=short'), channel)).toBe(false);
    expect(apiAdapter.verify(request('Hello, World!'), channel)).toBe(false);
  });

  it('normalises every event kind (golden payload)', () => {
    const body = JSON.stringify({
      events: [
        {
          id: 'e1',
          type: 'message',
          timestamp: '2026-11-20T08:00:00Z',
          from: { id: 'u1', name: '李雷', email: 'li@example.com', emailVerified: true },
          message: { id: 'm1', kind: 'image', text: 'look', attachments: [{ name: 'a.png', mimeType: 'image/png', data: Buffer.from('x').toString('base64') }] },
        },
        { id: 'e2', type: 'status', messageId: 'p1', status: 'read', to: 'u1' },
        { id: 'e3', type: 'unfollow', timestamp: 1_790_000_000_000, from: { id: 'u2' } },
      ],
    });
    const [message, status, unfollow] = apiAdapter.parse(request(body), channel);
    expect(message).toMatchObject({
      kind: 'message',
      providerEventId: 'e1',
      threadKey: 'u1',
      providerMessageId: 'm1',
      occurredAt: new Date('2026-11-20T08:00:00Z'),
      sender: { externalId: 'u1', displayName: '李雷', email: 'li@example.com', emailVerified: true, phoneVerified: false },
      content: { kind: 'image', text: 'look' },
    });
    expect(message?.kind === 'message' && message.attachments[0]!.data.toString()).toBe('x');
    expect(status).toMatchObject({ kind: 'status', providerMessageId: 'p1', status: 'read', threadKey: 'u1' });
    expect(unfollow).toMatchObject({ kind: 'unfollow', threadKey: 'u2', occurredAt: new Date(1_790_000_000_000) });
  });

  it('refuses bodies it cannot read with the paths at fault', () => {
    expect(() => apiAdapter.parse(request('{'), channel)).toThrow(ChannelPayloadError);
    const bad = JSON.stringify({ events: [{ id: 'e', type: 'message', from: {}, message: { id: 'm', kind: 'sticker' } }] });
    const error = (() => {
      try {
        apiAdapter.parse(request(bad), channel);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ChannelPayloadError);
    expect((error as ChannelPayloadError).errors.map((e) => e.path)).toEqual(expect.arrayContaining(['events.0.from.id', 'events.0.message.kind']));
  });

  it('answers the GET challenge only when it is signed with the secret', () => {
    const get = (challenge: string, signature: string) => ({ method: 'GET' as const, headers: { [SIGNATURE_HEADER]: signature }, rawQuery: `challenge=${challenge}`, rawBody: Buffer.alloc(0) });
    expect(apiAdapter.handshake!(get('abc', sign(channel.secrets.secret, 'abc')), channel)).toMatchObject({ status: 200, body: 'abc' });
    expect(apiAdapter.handshake!(get('abc', sign('another secret value', 'abc')), channel)).toBeNull();
  });
});
