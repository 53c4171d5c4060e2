// The WhatsApp adapter against PROTOCOLS.md §3: the derived signature vector (the official sample
// payload, minified, signed with test_app_secret) through the adapter, golden webhook payloads in
// the shapes of the messages webhook reference, and the request bodies of the send API.
import { describe, expect, it } from 'vitest';
import { ChannelPayloadError, type InboundMessage, type NormalisedEvent, type OutboundMessage } from '../adapter.js';
import { SIGNATURE_HEADER } from '../meta-graph.js';
import { mediaTypeOf, templateObject, whatsappAdapter } from './adapter.js';
import { sourceOf } from './inbound.js';

const VECTOR_BODY =
  '{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},"contacts":[{"profile":{"name":"Sheena Nelson"},"wa_id":"16505551234"}],"messages":[{"from":"16505551234","id":"wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=","timestamp":"1749416383","type":"text","text":{"body":"Does it come in another color?"}}]},"field":"messages"}]}]}';
const VECTOR_SIGNATURE = 'sha256=ded1d1d9621cffa39832ccf2b330fa476b4dc8ec2a5d102e1e554312b3f21d42';
const PHONE_NUMBER_ID = '106540352242922';

const channel = (appSecret = 'test_app_secret') => ({
  channelId: 'c',
  settings: { phoneNumberId: PHONE_NUMBER_ID, entryGreeting: 'Hello', apiBaseUrl: 'https://graph.facebook.com', apiVersion: 'v21.0' },
  secrets: { appSecret, verifyToken: 'a verify token', accessToken: 'an access token of some length' },
});
const request = (body: string, signature?: string) => ({ method: 'POST' as const, headers: { [SIGNATURE_HEADER]: signature }, rawQuery: '', rawBody: Buffer.from(body, 'utf8') });

const envelope = (value: Record<string, unknown>, phoneNumberId = PHONE_NUMBER_ID) =>
  JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId }, ...value } }] }] });
const parse = (value: Record<string, unknown>, phoneNumberId?: string) => whatsappAdapter.parse(request(envelope(value, phoneNumberId)), channel()) as NormalisedEvent[];
let n = 0;
const messageOf = (fields: Record<string, unknown>) => parse({ messages: [{ from: '16505551234', id: `wamid.${++n}`, timestamp: '1749416383', ...fields }] })[0] as InboundMessage;

describe('whatsapp signature (derived vector)', () => {
  it('verifies the 499-byte official sample on its raw bytes; one byte changed, another secret or no header is refused', () => {
    expect(Buffer.byteLength(VECTOR_BODY)).toBe(499);
    expect(whatsappAdapter.verify(request(VECTOR_BODY, VECTOR_SIGNATURE), channel())).toBe(true);
    expect(whatsappAdapter.verify(request(VECTOR_BODY.replace('color', 'colour'), VECTOR_SIGNATURE), channel())).toBe(false);
    expect(whatsappAdapter.verify(request(VECTOR_BODY, VECTOR_SIGNATURE), channel('another_app_secret'))).toBe(false);
    expect(whatsappAdapter.verify(request(VECTOR_BODY), channel())).toBe(false);
  });

  it('the sample parses into one text message from the wa_id, named by the contacts profile', () => {
    expect(whatsappAdapter.parse(request(VECTOR_BODY), channel())).toEqual([
      {
        kind: 'message',
        providerEventId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
        providerMessageId: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=',
        threadKey: '16505551234',
        occurredAt: new Date(1_749_416_383_000),
        sender: { externalId: '16505551234', displayName: 'Sheena Nelson', phone: '+16505551234', phoneVerified: true },
        content: { kind: 'text', text: 'Does it come in another color?' },
        attachments: [],
        replyContext: { receivedAt: 1_749_416_383_000 },
      },
    ]);
  });

  it('answers the GET verification with the channel verify token', () => {
    const get = (q: string) => ({ method: 'GET' as const, headers: {}, rawQuery: q, rawBody: Buffer.alloc(0) });
    expect(whatsappAdapter.handshake(get('hub.mode=subscribe&hub.verify_token=a+verify+token&hub.challenge=1158201444'), channel())).toMatchObject({ status: 200, body: '1158201444' });
    expect(whatsappAdapter.handshake(get('hub.mode=subscribe&hub.verify_token=another&hub.challenge=1158201444'), channel())).toBeNull();
  });
});

describe('whatsapp messages', () => {
  it('normalises every message type Renmai reads, media by reference', () => {
    expect(messageOf({ type: 'image', image: { id: '1001', mime_type: 'image/jpeg', sha256: 'x', caption: '这个颜色' } })).toMatchObject({ content: { kind: 'image', text: '这个颜色' }, mediaRefs: [{ ref: '1001', mimeType: 'image/jpeg', fileName: 'image-1001.jpg' }] });
    expect(messageOf({ type: 'audio', audio: { id: '1002', mime_type: 'audio/ogg; codecs=opus', voice: true } })).toMatchObject({ content: { kind: 'audio' }, mediaRefs: [{ ref: '1002', mimeType: 'audio/ogg', fileName: 'voice-1002.ogg' }] });
    expect(messageOf({ type: 'video', video: { id: '1003', mime_type: 'video/mp4' } })).toMatchObject({ content: { kind: 'video' }, mediaRefs: [{ ref: '1003' }] });
    expect(messageOf({ type: 'document', document: { id: '1004', mime_type: 'application/pdf', filename: '报价单.pdf', caption: 'quote' } })).toMatchObject({ content: { kind: 'file', text: 'quote' }, mediaRefs: [{ ref: '1004', fileName: '报价单.pdf', mimeType: 'application/pdf' }] });
    expect(messageOf({ type: 'sticker', sticker: { id: '1005', mime_type: 'image/webp', animated: false } })).toMatchObject({ content: { kind: 'image' }, mediaRefs: [{ ref: '1005', fileName: 'sticker-1005.webp' }] });
    expect(messageOf({ type: 'location', location: { latitude: 31.23, longitude: 121.47, name: '外滩', address: '上海市黄浦区' } })).toMatchObject({ content: { kind: 'location', location: { latitude: 31.23, longitude: 121.47, name: '外滩', address: '上海市黄浦区' } } });
    expect(messageOf({ type: 'contacts', contacts: [{ name: { formatted_name: 'Ann Lee', first_name: 'Ann' }, phones: [{ phone: '+1 555 0100', type: 'CELL' }] }] })).toMatchObject({ content: { kind: 'text', text: 'Ann Lee +1 555 0100' } });
    expect(messageOf({ type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes please' } } })).toMatchObject({ content: { kind: 'text', text: 'Yes please' } });
    expect(messageOf({ type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'r2', title: 'Red', description: 'the red one' } } })).toMatchObject({ content: { kind: 'text', text: 'Red' } });
    expect(messageOf({ type: 'button', button: { payload: 'STOP', text: 'Stop promotions' } })).toMatchObject({ content: { kind: 'text', text: 'Stop promotions' } });
    expect(messageOf({ type: 'text', text: { body: 'this one' }, context: { from: '15550783881', id: 'wamid.earlier' } })).toMatchObject({ references: ['wamid.earlier'] });
  });

  it('skips reactions, orders, system and unsupported messages, other numbers and other fields', () => {
    expect(parse({ messages: [{ from: '16505551234', id: 'wamid.r', timestamp: '1', type: 'reaction', reaction: { message_id: 'wamid.x', emoji: '👍' } }] })).toEqual([]);
    expect(parse({ messages: [{ from: '16505551234', id: 'wamid.u', timestamp: '1', type: 'unsupported', errors: [{ code: 131051 }] }] })).toEqual([]);
    expect(parse({ messages: [{ from: '16505551234', id: 'wamid.o', timestamp: '1', type: 'text', text: { body: 'x' } }] }, '999999999')).toEqual([]);
    const other = JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'message_template_status_update', value: { event: 'APPROVED' } }] }] });
    expect(whatsappAdapter.parse(request(other), channel())).toEqual([]);
    expect(() => whatsappAdapter.parse(request('{'), channel())).toThrow(ChannelPayloadError);
    expect(() => whatsappAdapter.parse(request('{"object":"whatsapp_business_account","entry":{}}'), channel())).toThrow(ChannelPayloadError);
  });

  it("takes a live code from the pre-filled text, else a click-to-WhatsApp ad's referral", () => {
    expect(messageOf({ type: 'text', text: { body: 'Hello [k3j9x0a2b4c6]' } }).source).toBe('k3j9x0a2b4c6');
    expect(messageOf({ type: 'text', text: { body: 'Hello [k3j9x0a2b4c6] and a question' } }).source).toBeUndefined();
    const ad = messageOf({ type: 'text', text: { body: 'Is this still available?' }, referral: { source_url: 'https://fb.me/abc', source_id: '120210000000000', source_type: 'ad', headline: 'Sale', ctwa_clid: 'ARAk' } });
    expect(ad.source).toBe('120210000000000');
    expect(sourceOf({ from: '1', id: 'w', timestamp: '1', type: 'image' })).toBeUndefined();
  });

  it('reads delivered, read and failed statuses (sent is what the send said)', () => {
    const statuses = parse({
      statuses: [
        { id: 'wamid.out1', status: 'sent', timestamp: '1749416400', recipient_id: '16505551234' },
        { id: 'wamid.out1', status: 'delivered', timestamp: '1749416401', recipient_id: '16505551234', conversation: { id: 'c', origin: { type: 'service' } }, pricing: { billable: true, pricing_model: 'PMP', category: 'service' } },
        { id: 'wamid.out1', status: 'read', timestamp: '1749416402', recipient_id: '16505551234' },
        { id: 'wamid.out2', status: 'failed', timestamp: '1749416403', recipient_id: '16505551234', errors: [{ code: 131047, title: 'Re-engagement message', message: 'Re-engagement message', error_data: { details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' } }] },
      ],
    });
    expect(statuses).toEqual([
      { kind: 'status', providerEventId: 'status:wamid.out1:delivered', threadKey: '16505551234', occurredAt: new Date(1_749_416_401_000), providerMessageId: 'wamid.out1', status: 'delivered' },
      { kind: 'status', providerEventId: 'status:wamid.out1:read', threadKey: '16505551234', occurredAt: new Date(1_749_416_402_000), providerMessageId: 'wamid.out1', status: 'read' },
      expect.objectContaining({ providerMessageId: 'wamid.out2', status: 'failed', reason: 'outside_reply_window', error: expect.stringMatching(/^\(#131047\) Re-engagement message Message failed to send because more than 24 hours/) }),
    ]);
  });
});

describe('whatsapp outbound', () => {
  it('builds template objects with body parameters', () => {
    expect(templateObject({ name: 'order_update', language: 'en_US', bodyParameters: ['A-1001'] })).toEqual({ name: 'order_update', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'A-1001' }] }] });
    expect(templateObject({ name: 'hello_world', language: 'zh_CN' })).toEqual({ name: 'hello_world', language: { code: 'zh_CN' } });
  });

  it('sends each file as the media type WhatsApp takes it as', () => {
    expect(['image/jpeg', 'image/png', 'image/webp', 'video/mp4', 'audio/ogg', 'application/pdf'].map(mediaTypeOf)).toEqual(['image', 'image', 'document', 'video', 'audio', 'document']);
  });

  it('refuses a free-form message outside the 24-hour window before calling Meta', async () => {
    const out = (receivedAt?: number): OutboundMessage => ({
      id: 'm',
      recipient: { externalId: '16505551234' },
      threadKey: '16505551234',
      content: { kind: 'text', text: 'hi' },
      attachments: [],
      ...(receivedAt !== undefined ? { inReplyTo: { providerMessageId: 'wamid.in', replyContext: { receivedAt } } } : {}),
    });
    // The base URL is unreachable: the refusal must come before any call.
    const offline = { ...channel(), settings: { ...channel().settings, apiBaseUrl: 'http://127.0.0.1:9' } };
    const context = { signal: new AbortController().signal, allowPrivateTargets: true };
    await expect(whatsappAdapter.send(out(Date.now() - 25 * 3600_000), offline, context)).rejects.toMatchObject({ kind: 'permanent', reason: 'outside_reply_window' });
    await expect(whatsappAdapter.send(out(), offline, context)).rejects.toMatchObject({ reason: 'outside_reply_window' });
    await expect(whatsappAdapter.send(out(Date.now() - 3600_000), offline, context)).rejects.toMatchObject({ kind: 'temporary' });
  });

  it('makes the wa.me entry link with the pre-filled text, only with a phone number', () => {
    expect(whatsappAdapter.entryLink({ ...channel().settings, phoneNumber: '15550783881' }, 'k3j9x0a2b4c6')).toBe('https://wa.me/15550783881?text=Hello%20%5Bk3j9x0a2b4c6%5D');
    expect(whatsappAdapter.entryLink(channel().settings, 'k3j9x0a2b4c6')).toBeNull();
  });
});
