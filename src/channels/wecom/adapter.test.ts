// The WeCom adapter on the published vectors (PROTOCOLS.md §1.2) at the request level, with the
// clock set to the vectors' time, and golden callbacks (doc 90239 messages, doc 92130
// customer-contact events) normalised.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChannelPayloadError, type InboundRequest } from '../adapter.js';
import { TIMESTAMP_WINDOW_SECONDS, wecomAdapter } from './adapter.js';
import { encryptedCallback } from './fake-wecom.js';

const setA = { channelId: 'c', settings: { corpId: 'ww1436e0e65a779aee', apiBaseUrl: 'https://qyapi.weixin.qq.com', staff: [] }, secrets: { token: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo', encodingAESKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt', secret: 's' } };
const setB = { channelId: 'c', settings: { corpId: 'wx5823bf96d3bd56c7', apiBaseUrl: 'https://qyapi.weixin.qq.com', staff: [] }, secrets: { token: 'QDG6eK', encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', secret: 's' } };
const keysA = { token: setA.secrets.token, encodingAESKey: setA.secrets.encodingAESKey, receiveId: setA.settings.corpId };

const get = (rawQuery: string): InboundRequest => ({ method: 'GET', headers: {}, rawQuery, rawBody: Buffer.alloc(0) });
const post = (rawQuery: string, body: string): InboundRequest => ({ method: 'POST', headers: { 'content-type': 'text/xml' }, rawQuery, rawBody: Buffer.from(body) });
const at = (seconds: number) => vi.useFakeTimers({ now: seconds * 1000, toFake: ['Date'] });

afterEach(() => vi.useRealTimers());

const A2_BODY =
  '<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName>\n<Encrypt><![CDATA[Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+]]></Encrypt>\n<AgentID><![CDATA[1000002]]></AgentID>\n</xml>';

describe('wecom adapter: vectors at the request level', () => {
  it('A1: answers URL verification with the plaintext; B1: the URL-encoded echostr with + and /', () => {
    at(1476416373);
    const a1 = 'msg_signature=012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb&timestamp=1476416373&nonce=47744683&echostr=' + encodeURIComponent('fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==');
    expect(wecomAdapter.handshake(get(a1), setA)).toEqual({ status: 200, contentType: 'text/plain; charset=utf-8', body: '1288432023552776189' });
    at(1409659589);
    const b1 = 'msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D';
    expect(wecomAdapter.handshake(get(b1), setB)?.body).toBe('1616140317555161061');
    // Signed for another corp's id: decrypts, but is not ours.
    expect(wecomAdapter.handshake(get(b1), { ...setB, settings: { ...setB.settings, corpId: 'ww1436e0e65a779aee' } })).toBeNull();
  });

  it('A2: verifies and parses the official sample message (pad 22)', async () => {
    at(1476422779);
    const request = post('msg_signature=0c3914025cb4b4d68103f6bfc8db550f79dcf48e&timestamp=1476422779&nonce=1597212914', A2_BODY);
    expect(wecomAdapter.verify(request, setA)).toBe(true);
    expect(await wecomAdapter.parse(request, setA)).toEqual([
      {
        kind: 'message',
        providerEventId: 'msg:1456453720',
        threadKey: 'member:ChenJiaShun',
        occurredAt: new Date(1476422779 * 1000),
        sender: { externalId: 'ChenJiaShun' },
        providerMessageId: '1456453720',
        attachments: [],
        content: { kind: 'text', text: '你好' },
      },
    ]);
  });

  it(`refuses the same request ${TIMESTAMP_WINDOW_SECONDS + 1} s later (stale), and with the nonce changed`, () => {
    at(1476422779 + TIMESTAMP_WINDOW_SECONDS + 1);
    expect(wecomAdapter.verify(post('msg_signature=0c3914025cb4b4d68103f6bfc8db550f79dcf48e&timestamp=1476422779&nonce=1597212914', A2_BODY), setA)).toBe(false);
    at(1476422779);
    expect(wecomAdapter.verify(post('msg_signature=0c3914025cb4b4d68103f6bfc8db550f79dcf48e&timestamp=1476422779&nonce=1597212915', A2_BODY), setA)).toBe(false);
    expect(wecomAdapter.verify(post('timestamp=1476422779&nonce=1597212914', A2_BODY), setA)).toBe(false);
    expect(wecomAdapter.verify(post('msg_signature=0c3914025cb4b4d68103f6bfc8db550f79dcf48e&timestamp=1476422779&nonce=1597212914', '<xml><Encrypt>'), setA)).toBe(false);
  });
});

const parse = async (xml: string) => {
  const c = encryptedCallback(keysA, xml);
  const request = post(c.query, c.body);
  expect(wecomAdapter.verify(request, setA)).toBe(true);
  return wecomAdapter.parse(request, setA);
};
const wrap = (inner: string) => `<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName><FromUserName><![CDATA[lisi]]></FromUserName><CreateTime>1700000000</CreateTime>${inner}<AgentID>1000002</AgentID></xml>`;

describe('wecom adapter: golden callbacks', () => {
  it('normalises location, link, image, voice and video messages (media by reference)', async () => {
    const [location] = await parse(wrap('<MsgType><![CDATA[location]]></MsgType><Location_X>23.134521</Location_X><Location_Y>113.358803</Location_Y><Scale>20</Scale><Label><![CDATA[广州市天河区]]></Label><MsgId>1234567890123456</MsgId>'));
    expect(location).toMatchObject({ kind: 'message', content: { kind: 'location', location: { latitude: 23.134521, longitude: 113.358803, address: '广州市天河区' } } });
    const [link] = await parse(wrap('<MsgType><![CDATA[link]]></MsgType><Title><![CDATA[标题]]></Title><Description><![CDATA[描述]]></Description><Url><![CDATA[https://example.com/a]]></Url><PicUrl><![CDATA[https://example.com/p.png]]></PicUrl><MsgId>2</MsgId>'));
    expect(link).toMatchObject({ content: { kind: 'link', text: '标题', link: { url: 'https://example.com/a', title: '标题', description: '描述', imageUrl: 'https://example.com/p.png' } } });
    const [image] = await parse(wrap('<MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[https://example.com/p.jpg]]></PicUrl><MediaId><![CDATA[MEDIA_ID]]></MediaId><MsgId>9223372036854775807</MsgId>'));
    expect(image).toMatchObject({ providerMessageId: '9223372036854775807', content: { kind: 'image' }, attachments: [], mediaRefs: [{ ref: 'MEDIA_ID', fileName: 'image-9223372036854775807.jpg', mimeType: 'image/jpeg' }] });
    const [voice] = await parse(wrap('<MsgType><![CDATA[voice]]></MsgType><MediaId><![CDATA[V]]></MediaId><Format><![CDATA[amr]]></Format><MsgId>3</MsgId>'));
    expect(voice).toMatchObject({ content: { kind: 'audio' }, mediaRefs: [{ ref: 'V', mimeType: 'audio/amr' }] });
    const [video] = await parse(wrap('<MsgType><![CDATA[video]]></MsgType><MediaId><![CDATA[VID]]></MediaId><ThumbMediaId><![CDATA[T]]></ThumbMediaId><MsgId>4</MsgId>'));
    expect(video).toMatchObject({ content: { kind: 'video' }, mediaRefs: [{ ref: 'VID', mimeType: 'video/mp4' }] });
  });

  it('keeps a text exactly: spaces, markup-looking text, a number-looking text', async () => {
    const [a] = await parse(wrap('<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[  <b>hi</b> &amp; ]]></Content><MsgId>5</MsgId>'));
    expect(a).toMatchObject({ content: { text: '  <b>hi</b> &amp; ' } });
    const [b] = await parse(wrap('<MsgType><![CDATA[text]]></MsgType><Content>00123</Content><MsgId>6</MsgId>'));
    expect(b).toMatchObject({ content: { text: '00123' } });
  });

  it('normalises customer-contact events (doc 92130): added with State and WelcomeCode, removed either way', async () => {
    const contact = (type: string, extra = '') =>
      `<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>1403610513</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[${type}]]></ChangeType><UserID><![CDATA[zhangsan]]></UserID><ExternalUserID><![CDATA[woAJ2GCAAAXtWyujaWJHDDGi0mAAAA]]></ExternalUserID>${extra}</xml>`;
    const [added] = await parse(contact('add_external_contact', '<State><![CDATA[teststate]]></State><WelcomeCode><![CDATA[WELCOMECODE]]></WelcomeCode>'));
    expect(added).toEqual({
      kind: 'friend_added',
      providerEventId: 'contact:add_external_contact:woAJ2GCAAAXtWyujaWJHDDGi0mAAAA:zhangsan:1403610513',
      threadKey: 'external:woAJ2GCAAAXtWyujaWJHDDGi0mAAAA',
      occurredAt: new Date(1403610513 * 1000),
      sender: { externalId: 'woAJ2GCAAAXtWyujaWJHDDGi0mAAAA' },
      source: 'teststate',
      wecom: { changeType: 'add_external_contact', staffUserId: 'zhangsan' },
      replyContext: { welcomeCode: 'WELCOMECODE' },
    });
    const [half] = await parse(contact('add_half_external_contact'));
    expect(half).toMatchObject({ kind: 'friend_added', wecom: { changeType: 'add_half_external_contact' } });
    expect(half).not.toHaveProperty('source');
    expect(await parse(contact('del_follow_user'))).toEqual([expect.objectContaining({ kind: 'friend_removed', wecom: { changeType: 'del_follow_user', staffUserId: 'zhangsan', removedBy: 'contact' } })]);
    expect(await parse(contact('del_external_contact', '<Source><![CDATA[DELETE_BY_TRANSFER]]></Source>'))).toEqual([
      expect.objectContaining({ kind: 'friend_removed', wecom: { changeType: 'del_external_contact', staffUserId: 'zhangsan', removedBy: 'staff', deleteSource: 'DELETE_BY_TRANSFER' } }),
    ]);
    expect(await parse(contact('edit_external_contact'))).toEqual([]);
  });

  it('normalises customer-group member changes (change_external_chat): <Item> list or the older comma-separated one', async () => {
    const chat = (type: string, detail: string, members: string) =>
      `<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName><CreateTime>1403610513</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[wrx7HUARsKwGRaQBVKPBTcEyzdHA4HrQ]]></ChatId><ChangeType><![CDATA[${type}]]></ChangeType><UpdateDetail><![CDATA[${detail}]]></UpdateDetail><JoinScene>1</JoinScene><QuitScene>0</QuitScene><MemChangeCnt>2</MemChangeCnt>${members}<LastMemVer>9c3f97c2ada667dfb5f6d03308d963e1</LastMemVer><CurMemVer>71217227bbd112ecfe3a49c482195cb4</CurMemVer></xml>`;
    const joined = await parse(chat('update', 'add_member', '<MemChangeList>\n<Item><![CDATA[wmJack]]></Item>\n<Item>Rose</Item>\n</MemChangeList>'));
    expect(joined).toEqual(
      ['wmJack', 'Rose'].map((id) => ({
        kind: 'group_joined',
        providerEventId: `chat:wrx7HUARsKwGRaQBVKPBTcEyzdHA4HrQ:add_member:${id}:71217227bbd112ecfe3a49c482195cb4`,
        threadKey: 'group:wrx7HUARsKwGRaQBVKPBTcEyzdHA4HrQ',
        occurredAt: new Date(1403610513 * 1000),
        sender: { externalId: id },
        group: { externalId: 'wrx7HUARsKwGRaQBVKPBTcEyzdHA4HrQ' },
      })),
    );
    const left = await parse(chat('update', 'del_member', '<MemChangeList><![CDATA[wmJack, Rose]]></MemChangeList>'));
    expect(left.map((e) => [e.kind, 'sender' in e && e.sender.externalId])).toEqual([['group_left', 'wmJack'], ['group_left', 'Rose']]);
    expect(await parse(chat('update', 'add_member', '<MemChangeList><Item>solo</Item></MemChangeList>'))).toHaveLength(1);
    expect(await parse(chat('create', '', ''))).toEqual([]);
    expect(await parse(chat('update', 'change_name', ''))).toEqual([]);
  });

  it('member follow / unfollow of the app; untracked events give no event; an unreadable one is a payload error', async () => {
    const [follow] = await parse(wrap('<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event>'));
    expect(follow).toMatchObject({ kind: 'follow', threadKey: 'member:lisi', sender: { externalId: 'lisi' } });
    expect(await parse(wrap('<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[enter_agent]]></Event>'))).toEqual([]);
    await expect(parse(wrap('<MsgType><![CDATA[text]]></MsgType><Content>no id</Content>'))).rejects.toBeInstanceOf(ChannelPayloadError);
    await expect(parse('not xml at all')).rejects.toBeInstanceOf(ChannelPayloadError);
  });
});
