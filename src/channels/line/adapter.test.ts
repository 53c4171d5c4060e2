// The LINE adapter against the external vectors of PROTOCOLS.md §5 (line/line-bot-sdk-nodejs
// tests, also checked with @line/bot-sdk@11.0.0's validateSignature) and golden webhook payloads
// in the shapes of https://developers.line.biz/en/reference/messaging-api/#webhook-event-objects.
import { describe, expect, it } from 'vitest';
import { ChannelPayloadError, type InboundMessage, type NormalisedEvent, type OutboundMessage } from '../adapter.js';
import { lineError } from './api.js';
import { lineAdapter, lineMessagesOf, SIGNATURE_HEADER, signatureMatches, signatureOf } from './adapter.js';
import { stickerUrl } from './inbound.js';

// L2: the exact bytes, UTF-8 emoji included.
const L2_BODY =
  '{"events":[{"message":{"id":"test_event_message_id","text":"this is test message.😄😅😢😞😄😅😢😞","quoteToken":"test_quote_token","type":"text"},"replyToken":"test_reply_token","source":{"groupId":"test_group_id","type":"group"},"webhookEventId":"test_webhook_event_id","deliveryContext":{"isRedelivery":false},"timestamp":0,"mode":"active","type":"message"}],"destination":"Uaaaabbbbccccddddeeeeffff"}';

const channel = (channelSecret = 'test_channel_secret') => ({
  channelId: 'c',
  settings: { apiBaseUrl: 'https://api.line.me', dataApiBaseUrl: 'https://api-data.line.me' },
  secrets: { channelSecret, channelAccessToken: 'an access token of some length' },
});
const request = (body: string, signature?: string) => ({ method: 'POST' as const, headers: { [SIGNATURE_HEADER]: signature }, rawQuery: '', rawBody: Buffer.from(body, 'utf8') });
const parse = (events: unknown[]) => lineAdapter.parse(request(JSON.stringify({ destination: 'U0', events }))) as NormalisedEvent[];
const user = { type: 'user', userId: 'U4af4980629000000000000000000000a' };
let n = 0;
const ev = (fields: Record<string, unknown>) => ({ webhookEventId: `01H${++n}`, timestamp: 1_790_000_000_000, mode: 'active', source: user, deliveryContext: { isRedelivery: false }, ...fields });
const messageOf = (message: Record<string, unknown>) => parse([ev({ type: 'message', replyToken: 'rt', message })])[0] as InboundMessage;

describe('line signature (external vectors)', () => {
  it('L1: {"hello":"world"} with test_secret', () => {
    const body = JSON.stringify({ hello: 'world' });
    expect(Buffer.byteLength(body)).toBe(17);
    expect(signatureOf('test_secret', body)).toBe('t7Hn4ZDHqs6e+wdvI5TyQIvzie0DmMUmuXEBqyyE/tM=');
    expect(signatureMatches('test_secret', body, 't7Hn4ZDHqs6e+wdvI5TyQIvzie0DmMUmuXEBqyyE/tM=')).toBe(true);
    expect(signatureMatches('test_secret', body, 't7Hn4ZDHqs6e+wdvi5TyQivzie0DmMUmuXEBqyyE/tM=')).toBe(false);
  });

  it('L2: a body with emoji, verified on its raw bytes through the adapter', () => {
    expect(lineAdapter.verify(request(L2_BODY, 'eRdWYcVCzZV3MVZ3M9/rHJCl/a3oSbsRb04cLovpVwM='), channel())).toBe(true);
    // One byte changed, another secret, no header, a hex signature of the right bytes: all refused.
    expect(lineAdapter.verify(request(L2_BODY.replace('😄', '😃'), 'eRdWYcVCzZV3MVZ3M9/rHJCl/a3oSbsRb04cLovpVwM='), channel())).toBe(false);
    expect(lineAdapter.verify(request(L2_BODY, 'eRdWYcVCzZV3MVZ3M9/rHJCl/a3oSbsRb04cLovpVwM='), channel('another_channel_secret'))).toBe(false);
    expect(lineAdapter.verify(request(L2_BODY), channel())).toBe(false);
    expect(lineAdapter.verify(request(L2_BODY, Buffer.from('eRdWYcVCzZV3MVZ3M9/rHJCl/a3oSbsRb04cLovpVwM=', 'base64').toString('hex')), channel())).toBe(false);
  });

  it('L2 parses: a group message without a user id, in the group thread', () => {
    const [message] = lineAdapter.parse(request(L2_BODY)) as InboundMessage[];
    expect(message).toMatchObject({
      kind: 'message',
      providerEventId: 'test_webhook_event_id',
      threadKey: 'group:test_group_id',
      group: { externalId: 'test_group_id' },
      sender: { externalId: 'unknown-member:group:test_group_id' },
      providerMessageId: 'test_event_message_id',
      content: { kind: 'text', text: 'this is test message.😄😅😢😞😄😅😢😞' },
      replyContext: { replyToken: 'test_reply_token', receivedAt: 0 },
    });
  });
});

describe('line events', () => {
  it("answers the console's Verify (no events) with nothing to store, and refuses what is not a webhook", () => {
    expect(lineAdapter.parse(request('{"destination":"U0","events":[]}'))).toEqual([]);
    expect(() => lineAdapter.parse(request('{'))).toThrow(ChannelPayloadError);
    expect(() => lineAdapter.parse(request('{"events":{}}'))).toThrow(ChannelPayloadError);
  });

  it('normalises every message type, binary content by reference', () => {
    expect(messageOf({ type: 'text', id: '1', text: '你好' })).toMatchObject({ threadKey: user.userId, sender: { externalId: user.userId }, content: { kind: 'text', text: '你好' }, occurredAt: new Date(1_790_000_000_000) });
    expect(messageOf({ type: 'image', id: '2', contentProvider: { type: 'line' } })).toMatchObject({ content: { kind: 'image' }, attachments: [], mediaRefs: [{ ref: '2', mimeType: 'image/jpeg' }] });
    expect(messageOf({ type: 'image', id: '3', contentProvider: { type: 'external', originalContentUrl: 'https://cdn.example.com/a.jpg' } }).mediaRefs).toEqual([expect.objectContaining({ ref: 'external:https://cdn.example.com/a.jpg' })]);
    expect(messageOf({ type: 'video', id: '4', duration: 1000, contentProvider: { type: 'line' } })).toMatchObject({ content: { kind: 'video' }, mediaRefs: [{ ref: '4' }] });
    expect(messageOf({ type: 'audio', id: '5', duration: 1000, contentProvider: { type: 'line' } })).toMatchObject({ content: { kind: 'audio' }, mediaRefs: [{ ref: '5' }] });
    expect(messageOf({ type: 'file', id: '6', fileName: '合同.pdf', fileSize: 100 })).toMatchObject({ content: { kind: 'file' }, mediaRefs: [{ ref: '6', fileName: '合同.pdf' }] });
    expect(messageOf({ type: 'location', id: '7', title: '台北101', address: '台北市信義區', latitude: 25.03, longitude: 121.56 })).toMatchObject({
      content: { kind: 'location', location: { latitude: 25.03, longitude: 121.56, name: '台北101', address: '台北市信義區' } },
    });
    expect(messageOf({ type: 'sticker', id: '8', packageId: '446', stickerId: '1988', keywords: ['Happy'] })).toMatchObject({ content: { kind: 'image', text: 'Happy' }, mediaRefs: [{ ref: `external:${stickerUrl('1988')}` }] });
    expect(parse([ev({ type: 'message', message: { type: 'somethingNew', id: '9' } })])).toEqual([]);
  });

  it('keeps the reply token and its time, except in standby mode', () => {
    expect(messageOf({ type: 'text', id: '1', text: 'x' }).replyContext).toEqual({ replyToken: 'rt', receivedAt: 1_790_000_000_000 });
    const standby = parse([ev({ type: 'message', mode: 'standby', replyToken: 'rt', message: { type: 'text', id: '2', text: 'x' } })])[0] as InboundMessage;
    expect(standby.replyContext).toBeUndefined();
  });

  it('reads follow, unfollow, members joining and leaving; ignores join, leave and postback', () => {
    expect(parse([ev({ type: 'follow', replyToken: 'r', follow: { isUnblocked: false } })])).toEqual([expect.objectContaining({ kind: 'follow', threadKey: user.userId, sender: { externalId: user.userId } })]);
    expect(parse([ev({ type: 'unfollow' })])).toEqual([expect.objectContaining({ kind: 'unfollow' })]);
    const group = { type: 'group', groupId: 'Ca56f94637c000000000000000000000' };
    const joined = parse([ev({ webhookEventId: 'J1', type: 'memberJoined', source: group, joined: { members: [{ type: 'user', userId: 'U1' }, { type: 'user', userId: 'U2' }] } })]);
    expect(joined).toEqual([
      expect.objectContaining({ kind: 'group_joined', providerEventId: 'J1:0', threadKey: `group:${group.groupId}`, sender: { externalId: 'U1' }, group: { externalId: group.groupId } }),
      expect.objectContaining({ kind: 'group_joined', providerEventId: 'J1:1', sender: { externalId: 'U2' } }),
    ]);
    expect(parse([ev({ type: 'memberLeft', source: group, left: { members: [{ type: 'user', userId: 'U1' }] } })])).toEqual([expect.objectContaining({ kind: 'group_left' })]);
    expect(parse([ev({ type: 'join', source: group }), ev({ type: 'leave', source: group }), ev({ type: 'postback', postback: { data: 'x' } })])).toEqual([]);
    // A room is a group too.
    expect(parse([ev({ type: 'message', source: { type: 'room', roomId: 'R1', userId: 'U3' }, message: { type: 'text', id: '10', text: 'hi' } })])[0]).toMatchObject({ threadKey: 'room:R1', group: { externalId: 'R1' }, sender: { externalId: 'U3' } });
  });
});

describe('line outbound', () => {
  const out = (content: OutboundMessage['content'], attachments: OutboundMessage['attachments'] = []): OutboundMessage => ({ id: 'm', recipient: { externalId: 'U1' }, threadKey: 'U1', content, attachments });

  it('builds text (split at 5,000 characters) and location messages, and refuses files', () => {
    expect(lineMessagesOf(out({ kind: 'text', text: '你好' }))).toEqual([{ type: 'text', text: '你好' }]);
    expect(lineMessagesOf(out({ kind: 'text', text: 'x'.repeat(5001) })).map((m) => (m.text as string).length)).toEqual([5000, 1]);
    expect(lineMessagesOf(out({ kind: 'location', location: { latitude: 1, longitude: 2, name: 'Shop' } }))).toEqual([{ type: 'location', title: 'Shop', address: '1, 2', latitude: 1, longitude: 2 }]);
    expect(() => lineMessagesOf(out({ kind: 'image' }, [{ fileName: 'a.png', mimeType: 'image/png', data: Buffer.from('x') }]))).toThrow(/public HTTPS URL/);
  });

  it('maps LINE errors to kinds and stable reasons', () => {
    expect(lineError('/v2/bot/message/push', 429, 'You have reached your monthly limit.', null)).toMatchObject({ kind: 'permanent', reason: 'quota_exceeded' });
    expect(lineError('/v2/bot/message/push', 429, 'Too Many Requests', '3')).toMatchObject({ kind: 'rate_limited', retryAfterMs: 3000 });
    expect(lineError('/v2/bot/info', 401, 'Authentication failed. Confirm that the access token in the authorization header is valid.', null)).toMatchObject({ kind: 'auth', reason: 'token_invalid' });
    expect(lineError('/v2/bot/message/reply', 400, 'Invalid reply token', null)).toMatchObject({ kind: 'permanent', reason: 'invalid_request' });
    expect(lineError('/v2/bot/message/push', 500, undefined, null)).toMatchObject({ kind: 'temporary', reason: 'provider_unavailable' });
  });
});
