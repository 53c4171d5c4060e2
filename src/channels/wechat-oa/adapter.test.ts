// The official-account adapter on the published vectors of PROTOCOLS.md §2.3 (D plain signature,
// E official Java sample, F official Python sample, G wechatpy's QR events) at the request level,
// with the clock set to the vectors' time, and golden callbacks normalised.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChannelPayloadError, type InboundRequest } from '../adapter.js';
import { encryptMessage, signature } from '../wecom/crypto.js';
import { TIMESTAMP_WINDOW_SECONDS } from '../wx-query.js';
import { plainSignature, wechatOaAdapter } from './adapter.js';
import { isExpired, oaError } from './api.js';
import { plainCallback, safeCallback } from './fake-wechat.js';

const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const channel = (appId: string, token: string, encryption: 'safe' | 'plain' = 'safe') => ({
  channelId: 'c',
  settings: { appId, encryption, apiBaseUrl: 'https://api.weixin.qq.com' },
  secrets: { token, encodingAESKey: AES_KEY, appSecret: 's' },
});
const get = (rawQuery: string): InboundRequest => ({ method: 'GET', headers: {}, rawQuery, rawBody: Buffer.alloc(0) });
const post = (rawQuery: string, body: string): InboundRequest => ({ method: 'POST', headers: { 'content-type': 'text/xml' }, rawQuery, rawBody: Buffer.from(body) });
const at = (seconds: number) => vi.useFakeTimers({ now: seconds * 1000, toFake: ['Date'] });
afterEach(() => vi.useRealTimers());

const E = { appId: 'wxb11529c136998cb6', token: 'pamtest', timestamp: '1409304348', nonce: 'xxxxxx' };
const E1_ENCRYPT = 'jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==';
const E2_PLAIN =
  '<xml><ToUserName><![CDATA[oia2Tj我是中文jewbmiOUlr6X-1crbLOvLw]]></ToUserName><FromUserName><![CDATA[gh_7f083739789a]]></FromUserName><CreateTime>1407743423</CreateTime><MsgType><![CDATA[video]]></MsgType><Video><MediaId><![CDATA[eYJ1MbwPRJtOvIEabaxHs7TX2D-HV71s79GUxqdUkjm6Gs2Ed1KF3ulAOA9H1xG0]]></MediaId><Title><![CDATA[testCallBackReplyVideo]]></Title><Description><![CDATA[testCallBackReplyVideo]]></Description></Video></xml>';
const E2_ENCRYPT =
  'jn1L23DB+6ELqJ+6bruv23M2GmYfkv0xBh2h+XTBOKVKcgDFHle6gqcZ1cZrk3e1qjPQ1F4RsLWzQRG9udbKWesxlkupqcEcW7ZQweImX9+wLMa0GaUzpkycA8+IamDBxn5loLgZpnS7fVAbExOkK5DYHBmv5tptA9tklE/fTIILHR8HLXa5nQvFb3tYPKAlHF3rtTeayNf0QuM+UW/wM9enGIDIJHF7CLHiDNAYxr+r+OrJCmPQyTy8cVWlu9iSvOHPT/77bZqJucQHQ04sq7KZI27OcqpQNSto2OdHCoTccjggX5Z9Mma0nMJBU+jLKJ38YB1fBIz+vBzsYjrTmFQ44YfeEuZ+xRTQwr92vhA9OxchWVINGC50qE/6lmkwWTwGX9wtQpsJKhP+oS7rvTY8+VdzETdfakjkwQ5/Xka042OlUb1/slTwo4RscuQ+RdxSGvDahxAJ6+EAjLt9d8igHngxIbf6YyqqROxuxqIeIch3CssH/LqRs+iAcILvApYZckqmA7FNERspKA5f8GoJ9sv8xmGvZ9Yrf57cExWtnX8aCMMaBropU/1k+hKP5LVdzbWCG0hGwx/dQudYR/eXp3P0XxjlFiy+9DMlaFExWUZQDajPkdPrEeOwofJb';
const F = { appId: 'wx2c2769f8efd9abc2', token: 'spamtest', timestamp: '1409735669', nonce: '1320562132', signature: '5d197aaffba7e9b25a30732f161a50dee96bd5fa' };
const F_ENCRYPT =
  'hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=';
// Compatible mode, as in the published sample: the plaintext fields beside Encrypt (only Encrypt counts).
const F_BODY = `<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><FromUserName><![CDATA[someone_else]]></FromUserName><CreateTime>1409735668</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[forged]]></Content><MsgId>1</MsgId><Encrypt><![CDATA[${F_ENCRYPT}]]></Encrypt></xml>`;
const F_QUERY = `signature=x&timestamp=${F.timestamp}&nonce=${F.nonce}&openid=oyORnuP8q7ou2gfYjqLzSIWZf0rs&encrypt_type=aes&msg_signature=${F.signature}`;

describe('official account: published vectors (PROTOCOLS.md §2.3)', () => {
  it('D: the plain signature, server verification answered with echostr verbatim, the negative refused', () => {
    expect(plainSignature('test', '1410685589', 'test')).toBe('f21891de399b4e33a1a93c9a7b8a8fffb5a443ff');
    at(1410685589);
    const oa = channel('wx2c2769f8efd9abc2', 'test');
    const echostr = 'hello+world/=';
    const query = (s: string) => `signature=${s}&timestamp=1410685589&nonce=test&echostr=${encodeURIComponent(echostr)}`;
    expect(wechatOaAdapter.handshake(get(query('f21891de399b4e33a1a93c9a7b8a8fffb5a443ff')), oa)).toEqual({ status: 200, contentType: 'text/plain; charset=utf-8', body: echostr });
    expect(wechatOaAdapter.handshake(get(query('f21891de399b4e33a1a93c9a7b8a8fffb5a443fe')), oa)).toBeNull();
    at(1410685589 + TIMESTAMP_WINDOW_SECONDS + 1);
    expect(wechatOaAdapter.handshake(get(query('f21891de399b4e33a1a93c9a7b8a8fffb5a443ff')), oa)).toBeNull();
  });

  it('E1 / E2 (official Java sample): deterministic encryption and its msg_signature; E1 as an encrypted echostr', () => {
    const keys = { token: E.token, encodingAESKey: AES_KEY, receiveId: E.appId };
    const random = Buffer.from('aaaabbbbccccdddd');
    expect(encryptMessage(keys, '我是中文abcd123', random)).toBe(E1_ENCRYPT);
    expect(encryptMessage(keys, E2_PLAIN, random)).toBe(E2_ENCRYPT);
    expect(signature(E.token, E.timestamp, E.nonce, E1_ENCRYPT)).toBe('82c962d39941aa48552f90ef55aa323dc620cc10');
    at(Number(E.timestamp));
    const query = `msg_signature=82c962d39941aa48552f90ef55aa323dc620cc10&timestamp=${E.timestamp}&nonce=${E.nonce}&echostr=${encodeURIComponent(E1_ENCRYPT)}`;
    expect(wechatOaAdapter.handshake(get(query), channel(E.appId, E.token))?.body).toBe('我是中文abcd123');
    expect(wechatOaAdapter.handshake(get(query), channel('wx2c2769f8efd9abc2', E.token))).toBeNull();
  });

  it('F (official Python sample): a safe-mode text message verified and parsed, the compatible-mode plaintext ignored, MsgId kept as a string', async () => {
    at(Number(F.timestamp));
    const oa = channel(F.appId, F.token);
    const request = post(F_QUERY, F_BODY);
    expect(wechatOaAdapter.verify(request, oa)).toBe(true);
    expect(await wechatOaAdapter.parse(request, oa)).toEqual([
      {
        kind: 'message',
        providerEventId: 'msg:6054768590064713728',
        threadKey: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs',
        occurredAt: new Date(1409735668 * 1000),
        sender: { externalId: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs' },
        providerMessageId: '6054768590064713728',
        attachments: [],
        content: { kind: 'text', text: 'abcdteT' },
      },
    ]);
    // Another AppID (receiveid), a changed signature, nonce or Encrypt, a stale clock: refused.
    expect(wechatOaAdapter.verify(request, channel('wxb11529c136998cb6', F.token))).toBe(false);
    expect(wechatOaAdapter.verify(post(F_QUERY.replace(F.signature, `${F.signature.slice(0, -1)}b`), F_BODY), oa)).toBe(false);
    expect(wechatOaAdapter.verify(post(F_QUERY.replace(`nonce=${F.nonce}`, 'nonce=1320562133'), F_BODY), oa)).toBe(false);
    expect(wechatOaAdapter.verify(post(F_QUERY, F_BODY.replace('hyzAe4', 'hyzAe5')), oa)).toBe(false);
    at(Number(F.timestamp) - TIMESTAMP_WINDOW_SECONDS - 1);
    expect(wechatOaAdapter.verify(request, oa)).toBe(false);
  });

  it('G (wechatpy): subscribe with qrscene_ and SCAN carry the scene as source; a plain subscribe none; unsubscribe is unfollow', async () => {
    const oa = channel('wx2c2769f8efd9abc2', 'test', 'plain');
    const now = Math.floor(Date.now() / 1000);
    const event = (e: string, extra = '') => `<xml><ToUserName><![CDATA[toUser]]></ToUserName><FromUserName><![CDATA[FromUser]]></FromUserName><CreateTime>123456789</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[${e}]]></Event>${extra}</xml>`;
    const parse = async (xml: string) => {
      const c = plainCallback('test', xml, { timestamp: now });
      const request = post(c.query, c.body);
      expect(wechatOaAdapter.verify(request, oa)).toBe(true);
      return wechatOaAdapter.parse(request, oa);
    };
    const base = { threadKey: 'FromUser', occurredAt: new Date(123456789 * 1000), sender: { externalId: 'FromUser' } };
    expect(await parse(event('subscribe', '<EventKey><![CDATA[qrscene_123123]]></EventKey><Ticket><![CDATA[TICKET]]></Ticket>'))).toEqual([{ ...base, kind: 'follow', providerEventId: 'event:subscribe:FromUser:123456789', source: '123123' }]);
    expect(await parse(event('SCAN', '<EventKey><![CDATA[SCENE_VALUE]]></EventKey><Ticket><![CDATA[TICKET]]></Ticket>'))).toEqual([{ ...base, kind: 'follow', providerEventId: 'event:SCAN:FromUser:123456789', source: 'SCENE_VALUE' }]);
    expect(await parse(event('subscribe', '<EventKey><![CDATA[]]></EventKey>'))).toEqual([{ ...base, kind: 'follow', providerEventId: 'event:subscribe:FromUser:123456789' }]);
    expect(await parse(event('unsubscribe'))).toEqual([{ ...base, kind: 'unfollow', providerEventId: 'event:unsubscribe:FromUser:123456789' }]);
    expect(await parse(event('CLICK', '<EventKey><![CDATA[MENU_1]]></EventKey>'))).toEqual([]);
  });
});

describe('official account: golden messages and modes', () => {
  const oa = channel('wx1234567890abcdef', 'tok3n', 'plain');
  const parse = (xml: string) => {
    const c = plainCallback('tok3n', xml);
    return wechatOaAdapter.parse(post(c.query, c.body), oa);
  };
  const msg = (type: string, inner: string) =>
    `<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><FromUserName><![CDATA[oU1]]></FromUserName><CreateTime>1409735668</CreateTime><MsgType><![CDATA[${type}]]></MsgType>${inner}<MsgId>9223372036854775807</MsgId></xml>`;

  it('image, voice (with recognition), shortvideo by MediaId; location; link', async () => {
    expect(await parse(msg('image', '<PicUrl><![CDATA[http://mmbiz/p]]></PicUrl><MediaId><![CDATA[M1]]></MediaId>'))).toMatchObject([{ providerMessageId: '9223372036854775807', content: { kind: 'image' }, mediaRefs: [{ ref: 'M1', mimeType: 'image/jpeg' }] }]);
    expect(await parse(msg('voice', '<MediaId><![CDATA[M2]]></MediaId><Format><![CDATA[speex]]></Format><Recognition><![CDATA[你好]]></Recognition>'))).toMatchObject([{ content: { kind: 'audio', text: '你好' }, mediaRefs: [{ ref: 'M2', mimeType: 'audio/speex', fileName: 'voice-9223372036854775807.speex' }] }]);
    expect(await parse(msg('shortvideo', '<MediaId><![CDATA[M3]]></MediaId><ThumbMediaId><![CDATA[T3]]></ThumbMediaId>'))).toMatchObject([{ content: { kind: 'video' }, mediaRefs: [{ ref: 'M3', mimeType: 'video/mp4' }] }]);
    expect(await parse(msg('location', '<Location_X>23.134521</Location_X><Location_Y>113.358803</Location_Y><Scale>20</Scale><Label><![CDATA[广州]]></Label>'))).toMatchObject([{ content: { kind: 'location', location: { latitude: 23.134521, longitude: 113.358803, address: '广州' } } }]);
    expect(await parse(msg('link', '<Title><![CDATA[公众平台]]></Title><Description><![CDATA[d]]></Description><Url><![CDATA[https://mp.weixin.qq.com/]]></Url>'))).toMatchObject([{ content: { kind: 'link', link: { url: 'https://mp.weixin.qq.com/', title: '公众平台' } } }]);
    await expect(Promise.resolve().then(() => parse('<xml><MsgType>text</MsgType></xml>'))).rejects.toBeInstanceOf(ChannelPayloadError);
  });

  it('a channel set to safe refuses plaintext callbacks; a plain one still takes encrypted ones', () => {
    const xml = msg('text', '<Content><![CDATA[hi]]></Content>');
    const plain = plainCallback('tok3n', xml);
    expect(wechatOaAdapter.verify(post(plain.query, plain.body), { ...oa, settings: { ...oa.settings, encryption: 'safe' } })).toBe(false);
    const safe = safeCallback({ token: 'tok3n', encodingAESKey: AES_KEY, receiveId: 'wx1234567890abcdef' }, xml);
    expect(wechatOaAdapter.verify(post(safe.query, safe.body), oa)).toBe(true);
    // Without an EncodingAESKey nothing encrypted is taken.
    expect(wechatOaAdapter.verify(post(safe.query, safe.body), { ...oa, secrets: { token: 'tok3n', appSecret: 's' } })).toBe(false);
    expect(wechatOaAdapter.acknowledge()).toEqual({ status: 200, contentType: 'text/plain; charset=utf-8', body: 'success' });
  });
});

describe('official account: errcodes to stable reasons', () => {
  it('maps the window, the unfollowed person, quotas and token answers; 40001 / 40014 / 42001 refresh the token', () => {
    const of = (code: number) => {
      const e = oaError(code, 'hint rid: 1');
      return [e.kind, e.reason, e.retryable, isExpired(e)];
    };
    expect(of(45015)).toEqual(['permanent', 'outside_reply_window', false, false]);
    expect(of(43004)).toEqual(['permanent', 'recipient_blocked', false, false]);
    expect(of(45009)).toEqual(['rate_limited', 'rate_limited', true, false]);
    expect(of(45047)).toEqual(['permanent', 'rate_limited', false, false]);
    expect(of(40001)).toEqual(['auth', 'token_invalid', false, true]);
    expect(of(40014)).toEqual(['auth', 'token_expired', false, true]);
    expect(of(42001)).toEqual(['auth', 'token_expired', false, true]);
    expect(of(-1)).toEqual(['temporary', 'provider_unavailable', true, false]);
    expect(of(99999)).toEqual(['permanent', 'provider_error', false, false]);
  });
});
