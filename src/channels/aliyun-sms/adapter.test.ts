// The Aliyun SMS adapter against PROTOCOLS.md §7.2's vector (the 签名机制 documentation example,
// reproduced in Alibaba Cloud SDK tests), the push bodies of its delivery receipts and replies,
// and its error codes.
import { describe, expect, it } from 'vitest';
import { ChannelPayloadError, type InboundMessage, type NormalisedEvent } from '../adapter.js';
import { aliyunError, signedParams } from './api.js';
import { aliyunNumber, aliyunSmsAdapter } from './adapter.js';
import { beijingTime } from './inbound.js';
import { canonicalQuery, percentEncode, rpcSignature, stringToSign } from './signature.js';

const VECTOR = {
  AccessKeyId: 'testId',
  Action: 'SendSms',
  Format: 'XML',
  OutId: '123',
  PhoneNumbers: '15300000001',
  RegionId: 'cn-hangzhou',
  SignName: '阿里云短信测试专用',
  SignatureMethod: 'HMAC-SHA1',
  SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
  SignatureVersion: '1.0',
  TemplateCode: 'SMS_71390007',
  TemplateParam: '{"customer":"test"}',
  Timestamp: '2017-07-12T02:42:19Z',
  Version: '2017-05-25',
};

describe('aliyun RPC signature (external vector, PROTOCOLS.md §7.2)', () => {
  it('the documented StringToSign and Signature', () => {
    expect(stringToSign('GET', VECTOR)).toBe(
      'GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123%26PhoneNumbers%3D15300000001%26RegionId%3Dcn-hangzhou%26SignName%3D%25E9%2598%25BF%25E9%2587%258C%25E4%25BA%2591%25E7%259F%25AD%25E4%25BF%25A1%25E6%25B5%258B%25E8%25AF%2595%25E4%25B8%2593%25E7%2594%25A8%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D45e25e9b-0a6f-4070-8c85-2956eda1b466%26SignatureVersion%3D1.0%26TemplateCode%3DSMS_71390007%26TemplateParam%3D%257B%2522customer%2522%253A%2522test%2522%257D%26Timestamp%3D2017-07-12T02%253A42%253A19Z%26Version%3D2017-05-25',
    );
    const signature = rpcSignature('testSecret', 'GET', VECTOR);
    expect(signature).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
    expect(percentEncode(signature)).toBe('zJDF%2BLrzhj%2FThnlvIToysFRq6t4%3D');
    // Signature itself is never signed; any other change is.
    expect(rpcSignature('testSecret', 'GET', { ...VECTOR, Signature: 'x' } as Record<string, string>)).toBe(signature);
    expect(rpcSignature('testSecret', 'GET', { ...VECTOR, OutId: '124' })).not.toBe(signature);
    expect(rpcSignature('testSecret', 'POST', VECTOR)).not.toBe(signature);
  });

  it("percent-encodes by RFC 3986: space %20, * %2A, ~ kept, !'() encoded", () => {
    expect(percentEncode("a b*c~d!e'f(g)h")).toBe('a%20b%2Ac~d%21e%27f%28g%29h');
    expect(canonicalQuery({ b: '2', a: '1 2' })).toBe('a=1%202&b=2');
  });

  it('a call carries the common parameters and a fresh nonce, signed for POST', () => {
    const api = { accessKeyId: 'testId', accessKeySecret: 'testSecret', regionId: 'cn-hangzhou' };
    const p = signedParams(api, 'SendSms', { PhoneNumbers: '15300000001' }, new Date('2017-07-12T02:42:19.123Z'), 'n-1');
    expect(p).toMatchObject({ Action: 'SendSms', Version: '2017-05-25', Format: 'JSON', RegionId: 'cn-hangzhou', AccessKeyId: 'testId', SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0', SignatureNonce: 'n-1', Timestamp: '2017-07-12T02:42:19Z' });
    const { Signature, ...rest } = p;
    expect(Signature).toBe(rpcSignature('testSecret', 'POST', rest));
    expect(signedParams(api, 'SendSms', {}).SignatureNonce).not.toBe(signedParams(api, 'SendSms', {}).SignatureNonce);
  });
});

const channel = {
  channelId: 'c',
  settings: aliyunSmsAdapter.settings.parse({ signName: '人脉科技', templateCode: 'SMS_1234' }),
  secrets: { accessKeyId: 'LTAI5tRenmaiTestKey01', accessKeySecret: 'a-test-access-key-secret-30chars', callbackToken: 'push-token-0123456789' },
};
const request = (body: unknown, query = 'token=push-token-0123456789') => ({ method: 'POST' as const, headers: {}, rawQuery: query, rawBody: Buffer.from(JSON.stringify(body)) });
const parse = (body: unknown) => aliyunSmsAdapter.parse(request(body), channel) as NormalisedEvent[];

describe('aliyun pushes', () => {
  it('accepts the channel callback token only', () => {
    expect(aliyunSmsAdapter.verify(request([]), channel)).toBe(true);
    expect(aliyunSmsAdapter.verify(request([], 'token=push-token-0123456780'), channel)).toBe(false);
    expect(aliyunSmsAdapter.verify(request([], ''), channel)).toBe(false);
  });

  it('a delivery receipt (SmsReport) is a status of the message by its BizId', () => {
    const receipt = { phone_number: '15300000001', send_time: '2017-01-01 11:12:13', report_time: '2017-01-01 11:12:14', success: true, err_code: 'DELIVERED', err_msg: '用户接收成功', sms_size: '1', biz_id: '932702304080415357^0', out_id: 'm-1' };
    expect(parse([receipt])).toEqual([
      { kind: 'status', providerEventId: 'report:932702304080415357^0:+8615300000001', threadKey: '+8615300000001', occurredAt: new Date('2017-01-01T03:12:14Z'), providerMessageId: '932702304080415357^0', status: 'delivered' },
    ]);
    expect(parse([{ ...receipt, success: false, err_code: 'MK:0001', err_msg: '号码无效' }])).toEqual([expect.objectContaining({ status: 'failed', error: 'Aliyun: MK:0001 号码无效', reason: 'provider_error' })]);
  });

  it('a reply (SmsUp) is a message from the +86 number; TD and 退订 are opt-outs', () => {
    const reply = { phone_number: '15300000001', send_time: '2017-02-02 11:12:13', content: '几点开门？', sign_name: '人脉科技', dest_code: '1234', sequence_id: 1234567890 };
    const [message] = parse([reply]) as InboundMessage[];
    expect(message).toMatchObject({ kind: 'message', providerEventId: 'up:1234567890', providerMessageId: 'up:1234567890', threadKey: '+8615300000001', sender: { externalId: '+8615300000001', phone: '+8615300000001', phoneVerified: true }, content: { kind: 'text', text: '几点开门？' }, occurredAt: new Date('2017-02-02T03:12:13Z') });
    expect(message!.consent).toBeUndefined();
    expect((parse([{ ...reply, content: 'TD' }])[0] as InboundMessage).consent).toEqual({ status: 'opt_out', how: 'SMS keyword "TD"' });
    expect((parse([{ ...reply, content: '退订' }])[0] as InboundMessage).consent).toEqual({ status: 'opt_out', how: 'SMS keyword "退订"' });
  });

  it('refuses what is not a push; answers as the push expects', () => {
    expect(() => parse({ not: 'an array' })).toThrow(ChannelPayloadError);
    expect(() => aliyunSmsAdapter.parse({ ...request([]), rawBody: Buffer.from('{') }, channel)).toThrow(ChannelPayloadError);
    expect(aliyunSmsAdapter.acknowledge()).toEqual({ status: 200, contentType: 'application/json', body: '{"code":0,"msg":"成功"}' });
    expect(beijingTime('nonsense').getTime()).toBeGreaterThan(0);
  });
});

describe('aliyun outbound', () => {
  it('numbers as SendSms takes them', () => {
    expect(aliyunNumber('+8615300000001')).toBe('15300000001');
    expect(aliyunNumber('+85291234567')).toBe('85291234567');
  });

  it('maps codes to kinds and stable reasons', () => {
    expect(aliyunError('SendSms', 200, 'isv.BUSINESS_LIMIT_CONTROL', '触发分钟级流控Permits:1')).toMatchObject({ kind: 'rate_limited', reason: 'rate_limited', retryAfterMs: 60_000 });
    expect(aliyunError('SendSms', 200, 'isv.AMOUNT_NOT_ENOUGH', '账户余额不足')).toMatchObject({ kind: 'permanent', reason: 'quota_exceeded' });
    expect(aliyunError('SendSms', 200, 'isv.MOBILE_NUMBER_ILLEGAL', '非法手机号')).toMatchObject({ kind: 'permanent', reason: 'recipient_not_found' });
    expect(aliyunError('SendSms', 200, 'isv.TEMPLATE_PARAMS_ILLEGAL', '模板变量里包含非法关键字')).toMatchObject({ kind: 'permanent', reason: 'invalid_request' });
    expect(aliyunError('SendSms', 400, 'SignatureDoesNotMatch', 'Specified signature is not matched')).toMatchObject({ kind: 'auth', reason: 'token_invalid' });
    expect(aliyunError('SendSms', 503, undefined, undefined)).toMatchObject({ kind: 'temporary', reason: 'provider_unavailable' });
    expect(aliyunError('SendSms', 429, undefined, undefined, '5')).toMatchObject({ kind: 'rate_limited', retryAfterMs: 5000 });
  });
});
