// Registering live codes with their channel's provider, against local fake WeCom and WeChat
// servers: WeCom 联系我 (add_contact_way with the slug as state and the code's staff mapped to
// WeCom userids) and an official account's permanent parametric QR (scene = slug), whose url the
// code's QR PNG then holds; refusals are stable problems.
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWecom, type FakeWecom } from '../../channels/wecom/fake-wecom.js';
import { startFakeWechat, type FakeWechat } from '../../channels/wechat-oa/fake-wechat.js';
import { liveCodeWorld, type LiveCodeWorld, type Ws } from './test-world.js';

const AES_KEY = '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt';
let w: LiveCodeWorld;
let wecom: FakeWecom;
let wechat: FakeWechat;
beforeAll(async () => {
  [w, wecom, wechat] = await Promise.all([liveCodeWorld(), startFakeWecom(), startFakeWechat()]);
});
afterAll(async () => {
  await Promise.all([w.close(), wecom.close(), wechat.close()]);
});

async function channel(ws: Ws, body: Record<string, unknown>) {
  const res = await ws.client.post('/api/v1/channels', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().channel.id as string;
}

describe('registering a live code with its provider', () => {
  it('WeCom: add_contact_way with the slug as state and the mapped staff; the provider’s QR image is kept', async () => {
    const ws = await w.workspace('LC wecom', 2);
    const [mapped, unmapped] = ws.staff as [string, string];
    const channelId = await channel(ws, {
      type: 'wecom',
      name: 'WeCom',
      settings: { corpId: wecom.corpId, apiBaseUrl: wecom.url, staff: [{ userId: 'zhangsan', memberId: mapped }] },
      secrets: { token: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo', encodingAESKey: AES_KEY, secret: wecom.secret },
    });
    const code = await w.createCode(ws, { name: '展会 联系我', channelId, staff: [{ memberId: mapped }, { memberId: unmapped }] });
    const res = await ws.client.post(`/api/v1/live-codes/${code.id}/register`, {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().liveCode.registration).toMatchObject({ ref: expect.stringMatching(/^fake-way-/), qrImageUrl: expect.stringMatching(/^https:\/\/wework\.qpic\.cn\//), qrContent: null });
    expect(wecom.calls('externalcontact/add_contact_way').at(-1)!.json()).toEqual({ type: 2, scene: 2, remark: '展会 联系我', skip_verify: true, state: code.slug, user: ['zhangsan'] });
    // A code none of whose staff WeCom knows cannot be registered; nothing is kept.
    const orphan = await w.createCode(ws, { channelId, staff: [{ memberId: unmapped }] });
    const refused = await ws.client.post(`/api/v1/live-codes/${orphan.id}/register`, {});
    expect(refused.statusCode).toBe(502);
    expect(refused.json()).toMatchObject({ code: 'provider_error', reason: 'invalid_request' });
    expect((await ws.client.get(`/api/v1/live-codes/${orphan.id}`)).json().liveCode.registration).toBeNull();
  });

  it('official account: a permanent scene QR whose url the code’s QR PNG then holds; other types and landing pages are not_supported', async () => {
    const ws = await w.workspace('LC oa', 1);
    const channelId = await channel(ws, {
      type: 'wechat_oa',
      name: '公众号',
      settings: { appId: wechat.appId, encryption: 'plain', apiBaseUrl: wechat.url },
      secrets: { token: 'renmaiOaToken1', appSecret: wechat.secret },
    });
    const code = await w.createCode(ws, { channelId });
    const res = await ws.client.post(`/api/v1/live-codes/${code.id}/register`, {});
    expect(res.statusCode, res.body).toBe(200);
    expect(wechat.calls('qrcode/create').at(-1)!.json()).toEqual({ action_name: 'QR_LIMIT_STR_SCENE', action_info: { scene: { scene_str: code.slug } } });
    const png = await ws.client.get(`/api/v1/live-codes/${code.id}/qr.png?size=256`);
    // The same drawing of the provider's url (QR codes are deterministic for a content and options).
    const expected = await QRCode.toBuffer(`http://weixin.qq.com/q/fake-${code.slug}`, { type: 'png', width: 256, margin: 4, errorCorrectionLevel: 'M' });
    expect(png.rawPayload.equals(expected)).toBe(true);
    const telegram = await w.createCode(ws, {});
    expect((await ws.client.post(`/api/v1/live-codes/${telegram.id}/register`, {})).json()).toMatchObject({ code: 'conflict', reason: 'not_supported' });
    const landing = await w.createCode(ws, { channelId: null, landingUrl: 'https://shop.example/' });
    expect((await ws.client.post(`/api/v1/live-codes/${landing.id}/register`, {})).json()).toMatchObject({ code: 'conflict', reason: 'not_supported' });
    const other = await w.workspace('LC oa other', 1);
    expect((await other.client.post(`/api/v1/live-codes/${code.id}/register`, {})).statusCode).toBe(404);
  });
});
