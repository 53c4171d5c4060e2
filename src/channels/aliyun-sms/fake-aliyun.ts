// A fake Aliyun SMS API (dysmsapi 2017-05-25) for tests: real HTTP on 127.0.0.1
// (test/support/fake-api.ts) taking RPC calls as form POSTs to /, checking the RPC signature with
// the AccessKey secret as Aliyun does (SignatureDoesNotMatch otherwise), answering SendSms and
// QuerySmsSign as documented, recording every request; `api.failNext('POST', '/', …)` scripts errors.
import { randomBytes } from 'node:crypto';
import { startFakeApi, type FakeRequest } from '../../../test/support/fake-api.js';
import { rpcSignature } from './signature.js';

export const ACCESS_KEY_ID = 'LTAI5tRenmaiTestKey01';
export const ACCESS_KEY_SECRET = 'a-test-access-key-secret-30chars';
export const SIGN_NAME = '人脉科技';

const paramsOf = (req: FakeRequest) => Object.fromEntries(new URLSearchParams(req.body.toString('utf8')));
const requestId = () => randomBytes(16).toString('hex').toUpperCase();

export async function startFakeAliyun() {
  const api = await startFakeApi();
  let sent = 0;
  api.on('POST', '/', (req) => {
    const { Signature, ...params } = paramsOf(req);
    if (params.AccessKeyId !== ACCESS_KEY_ID) return { status: 404, body: { Code: 'InvalidAccessKeyId.NotFound', Message: 'Specified access key is not found.', RequestId: requestId() } };
    if (Signature !== rpcSignature(ACCESS_KEY_SECRET, 'POST', params)) return { status: 400, body: { Code: 'SignatureDoesNotMatch', Message: 'Specified signature is not matched with our calculation.', RequestId: requestId() } };
    if (params.Version !== '2017-05-25') return { status: 400, body: { Code: 'InvalidVersion', Message: 'Specified parameter Version is not valid.', RequestId: requestId() } };
    switch (params.Action) {
      case 'SendSms':
        if (!params.PhoneNumbers || !params.SignName || !params.TemplateCode) return { body: { Code: 'isv.INVALID_PARAMETERS', Message: '参数异常', RequestId: requestId() } };
        return { body: { Code: 'OK', Message: 'OK', BizId: `9006197469364${++sent}^0`, RequestId: requestId() } };
      case 'QuerySmsSign':
        return { body: { Code: 'OK', Message: 'OK', SignName: params.SignName, SignStatus: 1, RequestId: requestId() } };
      default:
        return { status: 404, body: { Code: 'InvalidAction.NotFound', Message: 'Specified api is not found.', RequestId: requestId() } };
    }
  });
  return {
    api,
    url: api.url,
    /** Each call's parameters (Signature included), oldest first. */
    calls: (action: string) => api.requests('/').map(paramsOf).filter((p) => p.Action === action),
    close: () => api.close(),
  };
}
