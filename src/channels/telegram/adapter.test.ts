// The Telegram adapter on golden payloads (the Update of PROTOCOLS.md §4 and the shapes of
// https://core.telegram.org/bots/api): the secret-token check, every message kind, groups,
// blocking, /start payloads, and how Bot API errors become ChannelErrors. Telegram signs nothing,
// so there is no crypto vector: the check is a constant-time comparison of the header.
import { describe, expect, it } from 'vitest';
import { ChannelPayloadError, type InboundMessage, type NormalisedEvent } from '../adapter.js';
import { telegramError } from './api.js';
import { chunks, SECRET_HEADER, telegramAdapter, webhookSecretOf } from './adapter.js';

const TOKEN = '123456:ABCdefGHIjklMNOpqrSTUvwxYZ0123456789';
const channel = { channelId: '5f0c0e4a-0000-4000-8000-000000000001', settings: { apiBaseUrl: 'https://api.telegram.org', delivery: 'webhook' as const }, secrets: { botToken: TOKEN } };
const secret = webhookSecretOf(TOKEN, channel.channelId);
const request = (body: unknown, token: string | null = secret) => ({
  method: 'POST' as const,
  headers: { [SECRET_HEADER]: token ?? undefined },
  rawQuery: '',
  rawBody: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
});
const parse = (body: unknown) => telegramAdapter.parse(request(body)) as NormalisedEvent[];
const onlyMessage = (body: unknown) => parse(body).find((e): e is InboundMessage => e.kind === 'message')!;

// PROTOCOLS.md §4, verbatim.
const START = `{"update_id":10000,"message":{"message_id":1365,"from":{"id":1111111,"is_bot":false,"first_name":"Test","username":"Test","language_code":"en"},"chat":{"id":1111111,"type":"private","first_name":"Test","username":"Test"},"date":1441645532,"text":"/start ch_7f3a","entities":[{"offset":0,"length":6,"type":"bot_command"}]}}`;

const from = { id: 2222222, is_bot: false, first_name: '小', last_name: '明', username: 'xiaoming' };
const privateChat = { id: 2222222, type: 'private', first_name: '小' };
const msg = (fields: Record<string, unknown>, chat: Record<string, unknown> = privateChat) => ({ update_id: 20000 + Math.floor(Math.random() * 1000), message: { message_id: 7, from, chat, date: 1_790_000_000, ...fields } });

describe('telegram adapter', () => {
  it('takes only the secret token derived for this channel, compared whole', () => {
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(webhookSecretOf(TOKEN, 'another channel')).not.toBe(secret);
    expect(telegramAdapter.verify(request(START), channel)).toBe(true);
    expect(telegramAdapter.verify(request(START, null), channel)).toBe(false);
    expect(telegramAdapter.verify(request(START, `${secret}x`), channel)).toBe(false);
    expect(telegramAdapter.verify(request(START, secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A')), channel)).toBe(false);
  });

  it('reads the documented /start update: a follow with the deep link payload as source, then the message', () => {
    const [follow, message] = parse(START);
    expect(follow).toMatchObject({ kind: 'follow', providerEventId: '10000:start', threadKey: '1111111', source: 'ch_7f3a', sender: { externalId: '1111111', displayName: 'Test' } });
    expect(message).toMatchObject({
      kind: 'message',
      providerEventId: '10000',
      threadKey: '1111111',
      providerMessageId: '1111111:1365',
      occurredAt: new Date(1441645532 * 1000),
      content: { kind: 'text', text: '/start ch_7f3a' },
      source: 'ch_7f3a',
    });
    const plain = parse(msg({ text: '/start' }));
    expect(plain[0]).toMatchObject({ kind: 'follow' });
    expect(plain[0]).not.toHaveProperty('source');
    expect(parse(msg({ text: '/start@my_bot abc-1' }))[0]).toMatchObject({ kind: 'follow', source: 'abc-1' });
    expect(parse(msg({ text: '/started' })).map((e) => e.kind)).toEqual(['message']);
  });

  it('normalises each message kind, media as references to fetch later', () => {
    const photo = onlyMessage(msg({ caption: 'look', photo: [{ file_id: 'small', width: 90, height: 90 }, { file_id: 'big', width: 1280, height: 960 }] }));
    expect(photo).toMatchObject({ content: { kind: 'image', text: 'look' }, attachments: [], mediaRefs: [{ ref: 'big', mimeType: 'image/jpeg' }] });
    expect(onlyMessage(msg({ document: { file_id: 'd', file_name: '报价.pdf', mime_type: 'application/pdf' } }))).toMatchObject({ content: { kind: 'file' }, mediaRefs: [{ ref: 'd', fileName: '报价.pdf', mimeType: 'application/pdf' }] });
    expect(onlyMessage(msg({ voice: { file_id: 'v', duration: 3 } }))).toMatchObject({ content: { kind: 'audio' }, mediaRefs: [{ ref: 'v', mimeType: 'audio/ogg' }] });
    expect(onlyMessage(msg({ audio: { file_id: 'a', mime_type: 'audio/mpeg' } }))).toMatchObject({ content: { kind: 'audio' }, mediaRefs: [{ ref: 'a' }] });
    expect(onlyMessage(msg({ video: { file_id: 'vid', mime_type: 'video/mp4' } }))).toMatchObject({ content: { kind: 'video' }, mediaRefs: [{ ref: 'vid' }] });
    expect(onlyMessage(msg({ sticker: { file_id: 's', emoji: '😀' } }))).toMatchObject({ content: { kind: 'image', text: '😀' }, mediaRefs: [{ ref: 's', mimeType: 'image/webp' }] });
    expect(onlyMessage(msg({ sticker: { file_id: 's', emoji: '🎉', is_animated: true, thumbnail: { file_id: 'thumb', width: 128, height: 128 } } }))).toMatchObject({ mediaRefs: [{ ref: 'thumb', mimeType: 'image/jpeg' }] });
    expect(onlyMessage(msg({ location: { latitude: 31.23, longitude: 121.47 }, venue: { title: '外滩', address: '中山东一路' } }))).toMatchObject({
      content: { kind: 'location', location: { latitude: 31.23, longitude: 121.47, name: '外滩', address: '中山东一路' } },
    });
    // Their own contact: Telegram vouches for the number. Someone else's: just text.
    expect(onlyMessage(msg({ contact: { phone_number: '8613800138000', first_name: '小', user_id: 2222222 } })).sender).toMatchObject({ phone: '+8613800138000', phoneVerified: true });
    const other = onlyMessage(msg({ contact: { phone_number: '+8613900139000', first_name: '老王' } }));
    expect(other).toMatchObject({ content: { kind: 'text', text: '老王 +8613900139000' } });
    expect(other.sender.phone).toBeUndefined();
  });

  it('puts group messages in the group thread, keeps joins and leaves, and ignores bots joining', () => {
    const group = { id: -1001234567890, type: 'supergroup', title: 'VIP 群' };
    expect(onlyMessage(msg({ text: 'hi all' }, group))).toMatchObject({ threadKey: 'group:-1001234567890', group: { externalId: '-1001234567890', name: 'VIP 群' }, sender: { externalId: '2222222' }, providerMessageId: '-1001234567890:7' });
    // /start in a group is a command to the bot, not someone following it.
    expect(parse(msg({ text: '/start x' }, group)).map((e) => e.kind)).toEqual(['message']);
    const joined = parse(msg({ new_chat_members: [{ id: 3, is_bot: false, first_name: 'A' }, { id: 4, is_bot: true, first_name: 'Bot' }] }, group));
    expect(joined).toEqual([expect.objectContaining({ kind: 'group_joined', sender: expect.objectContaining({ externalId: '3' }), group: { externalId: '-1001234567890', name: 'VIP 群' } })]);
    expect(parse(msg({ left_chat_member: { id: 3, is_bot: false, first_name: 'A' } }, group))).toEqual([expect.objectContaining({ kind: 'group_left', threadKey: 'group:-1001234567890' })]);
  });

  it('reads blocking and unblocking the bot as unfollow and follow; ignores what it does not keep', () => {
    const member = (before: string, now: string) => ({
      update_id: 30001,
      my_chat_member: { chat: privateChat, from, date: 1_790_000_000, old_chat_member: { status: before, user: { id: 1, is_bot: true, first_name: 'bot' } }, new_chat_member: { status: now, user: { id: 1, is_bot: true, first_name: 'bot' } } },
    });
    expect(parse(member('member', 'kicked'))).toEqual([expect.objectContaining({ kind: 'unfollow', providerEventId: '30001', threadKey: '2222222' })]);
    expect(parse(member('kicked', 'member'))).toEqual([expect.objectContaining({ kind: 'follow' })]);
    expect(parse({ update_id: 1, edited_message: msg({ text: 'edit' }).message })).toEqual([]);
    expect(parse({ update_id: 2, callback_query: { id: 'q' } })).toEqual([]);
  });

  it('refuses a body that is not an Update', () => {
    expect(() => telegramAdapter.parse(request('{'))).toThrow(ChannelPayloadError);
    expect(() => telegramAdapter.parse(request({ message: {} }))).toThrow(ChannelPayloadError);
  });

  it('maps Bot API errors to kinds and stable reasons', () => {
    expect(telegramError('sendMessage', 429, 429, 'Too Many Requests: retry after 34', 34)).toMatchObject({ kind: 'rate_limited', retryAfterMs: 34_000, reason: 'rate_limited' });
    expect(telegramError('sendMessage', 403, 403, 'Forbidden: bot was blocked by the user', undefined)).toMatchObject({ kind: 'permanent', reason: 'recipient_blocked' });
    expect(telegramError('sendMessage', 403, 403, 'Forbidden: user is deactivated', undefined)).toMatchObject({ reason: 'recipient_not_found' });
    expect(telegramError('getMe', 401, 401, 'Unauthorized', undefined)).toMatchObject({ kind: 'auth', reason: 'token_invalid' });
    expect(telegramError('sendMessage', 400, 400, 'Bad Request: chat not found', undefined)).toMatchObject({ kind: 'not_found', reason: 'recipient_not_found' });
    expect(telegramError('sendMessage', 400, 400, 'Bad Request: message is too long', undefined)).toMatchObject({ kind: 'permanent', reason: 'invalid_request' });
    expect(telegramError('sendMessage', 502, undefined, undefined, undefined)).toMatchObject({ kind: 'temporary', reason: 'provider_unavailable' });
  });

  it('splits long text at 4,096 characters without breaking a character', () => {
    const text = '😀'.repeat(5000);
    const pieces = chunks(text);
    expect(pieces.map((p) => [...p].length)).toEqual([4096, 904]);
    expect(pieces.join('')).toBe(text);
  });
});
