// The Messenger and Instagram adapters against PROTOCOLS.md §3.5: golden webhook payloads in the
// shapes of the Messenger Platform's webhook reference (object "page") and Instagram messaging
// (object "instagram"), the signature both share with WhatsApp, the Send API's messaging types
// and the m.me / ig.me entry links.
import { describe, expect, it } from 'vitest';
import { ChannelPayloadError, type InboundMessage, type NormalisedEvent, type OutboundMessage } from '../adapter.js';
import { SIGNATURE_HEADER, signatureOf } from '../meta-graph.js';
import { HUMAN_AGENT_WINDOW_MS, instagramAdapter, messagingTypeOf, messengerAdapter } from './adapter.js';

const PAGE = '1122334455667788';
const IG = '17841400000000001';
const PSID = '6543210987654321';
const settings = (accountId = PAGE, o: Record<string, unknown> = {}) => ({ accountId, humanAgentTag: false, apiBaseUrl: 'https://graph.facebook.com', apiVersion: 'v21.0', ...o });
const channel = (accountId = PAGE, appSecret = '0123456789abcdef0123456789abcdef') => ({ channelId: 'c', settings: settings(accountId), secrets: { appSecret, verifyToken: 'a verify token', pageAccessToken: 'a page access token of some length' } });
const request = (body: string, signature?: string) => ({ method: 'POST' as const, headers: { [SIGNATURE_HEADER]: signature }, rawQuery: '', rawBody: Buffer.from(body, 'utf8') });

const T = 1_458_692_752_478;
const page = (messaging: unknown[], object = 'page', id = PAGE) => JSON.stringify({ object, entry: [{ id, time: T, messaging }] });
const item = (fields: Record<string, unknown>, recipient = PAGE) => ({ sender: { id: PSID }, recipient: { id: recipient }, timestamp: T, ...fields });
const parse = (messaging: unknown[]) => messengerAdapter.parse(request(page(messaging)), channel()) as NormalisedEvent[];
const messageOf = (message: Record<string, unknown>) => parse([item({ message: { mid: 'm_1', ...message } })])[0] as InboundMessage;

describe('messenger webhook', () => {
  it('verifies X-Hub-Signature-256 on the raw bytes with the app secret', () => {
    const body = page([item({ message: { mid: 'm_1', text: 'hello' } })]);
    const signature = signatureOf('0123456789abcdef0123456789abcdef', body);
    expect(messengerAdapter.verify(request(body, signature), channel())).toBe(true);
    expect(messengerAdapter.verify(request(body.replace('hello', 'hellO'), signature), channel())).toBe(false);
    expect(messengerAdapter.verify(request(body, signature), channel(PAGE, 'fedcba9876543210fedcba9876543210'))).toBe(false);
    expect(messengerAdapter.verify(request(body), channel())).toBe(false);
  });

  it('normalises the documented text message: sender PSID, mid, time in ms', () => {
    expect(parse([item({ message: { mid: 'm_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P', text: 'hello, world!', quick_reply: { payload: 'DEVELOPER_DEFINED_PAYLOAD' } } })])).toEqual([
      {
        kind: 'message',
        providerEventId: 'm_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P',
        providerMessageId: 'm_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P',
        threadKey: PSID,
        occurredAt: new Date(T),
        sender: { externalId: PSID },
        content: { kind: 'text', text: 'hello, world!' },
        attachments: [],
        replyContext: { receivedAt: T },
      },
    ]);
  });

  it('reads attachments: files by URL, a sticker as an image, a location, a shared link; a reply names its message', () => {
    expect(messageOf({ attachments: [{ type: 'image', payload: { url: 'https://scontent.xx.fbcdn.net/v/a.jpg' } }] })).toMatchObject({ content: { kind: 'image' }, mediaRefs: [{ ref: 'https://scontent.xx.fbcdn.net/v/a.jpg', mimeType: 'image/jpeg' }] });
    expect(messageOf({ attachments: [{ type: 'image', payload: { url: 'https://scontent.xx.fbcdn.net/v/like.png', sticker_id: 369239263222822 } }] }).mediaRefs![0]!.fileName).toMatch(/^sticker-/);
    expect(messageOf({ attachments: [{ type: 'video', payload: { url: 'https://video.xx.fbcdn.net/v.mp4' } }, { type: 'file', payload: { url: 'https://cdn.fbsbx.com/f.pdf' } }] })).toMatchObject({ content: { kind: 'video' }, mediaRefs: [{ mimeType: 'video/mp4' }, { mimeType: 'application/octet-stream' }] });
    expect(messageOf({ attachments: [{ type: 'audio', payload: { url: 'https://cdn.fbsbx.com/a.mp4' } }] })).toMatchObject({ content: { kind: 'audio' } });
    expect(messageOf({ attachments: [{ type: 'location', title: 'Pinned', payload: { coordinates: { lat: 22.54, long: 114.06 } } }] })).toMatchObject({ content: { kind: 'location', location: { latitude: 22.54, longitude: 114.06, name: 'Pinned' } } });
    expect(messageOf({ text: 'look', attachments: [{ type: 'fallback', title: 'An article', url: 'https://example.com/a', payload: null }] })).toMatchObject({ content: { kind: 'link', text: 'look', link: { url: 'https://example.com/a', title: 'An article' } } });
    expect(messageOf({ text: 'yes', reply_to: { mid: 'm_earlier' } })).toMatchObject({ references: ['m_earlier'] });
  });

  it('skips echoes, deleted and unsupported messages, other pages and other objects; refuses what is not a webhook', () => {
    expect(parse([item({ message: { mid: 'm_e', text: 'from the page', is_echo: true, app_id: 1 } })])).toEqual([]);
    expect(parse([item({ message: { mid: 'm_d', is_deleted: true } })])).toEqual([]);
    expect(parse([item({ message: { mid: 'm_o', text: 'x' } }, '999999999')])).toEqual([]);
    expect(messengerAdapter.parse(request(page([item({ message: { mid: 'm_i', text: 'x' } })], 'instagram')), channel())).toEqual([]);
    expect(() => messengerAdapter.parse(request('[]'), channel())).toThrow(ChannelPayloadError);
  });

  it('a referral from m.me/<page>?ref=<code> is a follow with the code as source; a postback carries its referral too', () => {
    expect(parse([item({ referral: { ref: 'k3j9x0a2b4c6', source: 'SHORTLINK', type: 'OPEN_THREAD' } })])).toEqual([
      { kind: 'follow', providerEventId: `referral:${PSID}:${T}`, threadKey: PSID, occurredAt: new Date(T), sender: { externalId: PSID }, source: 'k3j9x0a2b4c6' },
    ]);
    const [postback] = parse([item({ postback: { title: 'Get Started', payload: 'GET_STARTED', mid: 'm_pb', referral: { ref: 'k3j9x0a2b4c6', source: 'SHORTLINK', type: 'OPEN_THREAD' } } })]) as InboundMessage[];
    expect(postback).toMatchObject({ kind: 'message', providerEventId: 'm_pb', content: { kind: 'text', text: 'Get Started' }, source: 'k3j9x0a2b4c6' });
    expect(messageOf({ text: 'from an ad', referral: { ref: 'spring', source: 'ADS', type: 'OPEN_THREAD', ad_id: '1' } }).source).toBe('spring');
  });

  it('deliveries name their messages; a read by watermark only is skipped', () => {
    expect(parse([item({ delivery: { mids: ['m_out1', 'm_out2'], watermark: T } })])).toEqual([
      expect.objectContaining({ kind: 'status', providerEventId: 'delivery:m_out1', providerMessageId: 'm_out1', status: 'delivered' }),
      expect.objectContaining({ kind: 'status', providerEventId: 'delivery:m_out2', providerMessageId: 'm_out2', status: 'delivered' }),
    ]);
    expect(parse([item({ read: { watermark: T } })])).toEqual([]);
  });
});

describe('instagram webhook', () => {
  it('reads object "instagram" for the account: messages, a read naming its message, story mentions as links', () => {
    const body = page(
      [
        item({ message: { mid: 'aWdfZAG1faXRlbToxOklH', text: '请问有货吗' } }, IG),
        item({ read: { mid: 'aWdfZAG1faXRlbTpvdXQ' } }, IG),
        item({ message: { mid: 'aWdfc3Rvcnk', attachments: [{ type: 'story_mention', payload: { url: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1' } }] } }, IG),
        item({ message: { mid: 'aWdfdW5zdXA', is_unsupported: true } }, IG),
      ],
      'instagram',
      IG,
    );
    expect(instagramAdapter.parse(request(body), channel(IG))).toEqual([
      expect.objectContaining({ kind: 'message', providerMessageId: 'aWdfZAG1faXRlbToxOklH', content: { kind: 'text', text: '请问有货吗' } }),
      expect.objectContaining({ kind: 'status', providerMessageId: 'aWdfZAG1faXRlbTpvdXQ', status: 'read' }),
      expect.objectContaining({ kind: 'message', content: { kind: 'link', link: { url: 'https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1' } } }),
    ]);
    expect(instagramAdapter.parse(request(page([item({ message: { mid: 'm', text: 'x' } })])), channel(IG))).toEqual([]);
    expect(instagramAdapter.identityType()).toBe('instagram');
  });
});

describe('messenger and instagram outbound', () => {
  const out = (receivedAt: number | undefined, automated = false): OutboundMessage => ({
    id: 'm',
    recipient: { externalId: PSID },
    threadKey: PSID,
    content: { kind: 'text', text: 'hi' },
    attachments: [],
    ...(automated ? { automated } : {}),
    ...(receivedAt !== undefined ? { inReplyTo: { providerMessageId: 'm_in', replyContext: { receivedAt } } } : {}),
  });
  const now = 1_800_000_000_000;

  it('RESPONSE within 24 hours; HUMAN_AGENT up to 7 days for a person when enabled; otherwise outside_reply_window', () => {
    const human = settings(PAGE, { humanAgentTag: true });
    expect(messagingTypeOf(out(now - 3600_000), settings(), 'Messenger', now)).toEqual({ messaging_type: 'RESPONSE' });
    expect(messagingTypeOf(out(now - 3 * 24 * 3600_000), human, 'Messenger', now)).toEqual({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
    expect(() => messagingTypeOf(out(now - 3 * 24 * 3600_000), settings(), 'Messenger', now)).toThrow(expect.objectContaining({ reason: 'outside_reply_window' }));
    expect(() => messagingTypeOf(out(now - 3 * 24 * 3600_000, true), human, 'Messenger', now)).toThrow(expect.objectContaining({ reason: 'outside_reply_window' }));
    expect(() => messagingTypeOf(out(now - HUMAN_AGENT_WINDOW_MS - 1), human, 'Messenger', now)).toThrow(expect.objectContaining({ reason: 'outside_reply_window' }));
    expect(() => messagingTypeOf(out(undefined), human, 'Messenger', now)).toThrow(expect.objectContaining({ reason: 'outside_reply_window' }));
  });

  it('declares the window the inbox enforces from the setting', () => {
    expect(messengerAdapter.capabilities(settings()).replyWindowMs).toBe(24 * 3600_000);
    expect(messengerAdapter.capabilities(settings(PAGE, { humanAgentTag: true })).replyWindowMs).toBe(HUMAN_AGENT_WINDOW_MS);
  });

  it('makes m.me and ig.me entry links with the code as ref', () => {
    expect(messengerAdapter.entryLink(settings(), 'k3j9x0a2b4c6')).toBe(`https://m.me/${PAGE}?ref=k3j9x0a2b4c6`);
    expect(messengerAdapter.entryLink(settings(PAGE, { username: 'renmai.shop' }), 'k3j9x0a2b4c6')).toBe('https://m.me/renmai.shop?ref=k3j9x0a2b4c6');
    expect(instagramAdapter.entryLink(settings(IG, { username: 'renmai.shop' }), 'k3j9x0a2b4c6')).toBe('https://ig.me/m/renmai.shop?ref=k3j9x0a2b4c6');
    expect(instagramAdapter.entryLink(settings(IG), 'k3j9x0a2b4c6')).toBeNull();
    expect(messengerAdapter.entryLink(settings(), 'not a code')).toBeNull();
  });
});
