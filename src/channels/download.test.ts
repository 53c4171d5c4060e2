// The guarded download against a real HTTP server on 127.0.0.1: private targets refused unless
// allowed (also after a redirect), the size limit by header and by counting, the time limit, and
// the bearer header kept off other origins.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeApi, type FakeApi } from '../../test/support/fake-api.js';
import { ChannelError } from './adapter.js';
import { download, fileNameOf } from './download.js';

let api: FakeApi;
beforeAll(async () => (api = await startFakeApi()));
afterAll(() => api.close());

const options = (o: Partial<Parameters<typeof download>[1]> = {}) => ({ signal: new AbortController().signal, allowPrivateTargets: true, maxBytes: 1024, ...o });

async function failure(p: Promise<unknown>) {
  const error = await p.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ChannelError);
  return error as ChannelError;
}

describe('download', () => {
  it('returns the bytes, the type without parameters and the file name', async () => {
    api.on('GET', '/f.png', { body: Buffer.from('png bytes'), headers: { 'content-type': 'image/png; q=1', 'content-disposition': `attachment; filename*=UTF-8''%E5%9B%BE.png` } });
    expect(await download(`${api.url}/f.png`, options())).toEqual({ data: Buffer.from('png bytes'), mimeType: 'image/png', fileName: '图.png' });
  });

  it('refuses loopback, private and IPv4-mapped targets and other schemes unless allowed', async () => {
    expect((await failure(download(`${api.url}/f.png`, options({ allowPrivateTargets: false })))).reason).toBe('target_refused');
    expect((await failure(download('http://[::ffff:127.0.0.1]/x', options({ allowPrivateTargets: false })))).reason).toBe('target_refused');
    expect((await failure(download('file:///etc/passwd', options()))).reason).toBe('target_refused');
  });

  it('follows redirects and drops the headers when one leaves the first origin', async () => {
    api.on('GET', '/moved', { status: 302, headers: { location: '/f.png' } });
    const other = await startFakeApi();
    other.on('GET', '/f.png', { body: Buffer.from('elsewhere') });
    api.on('GET', '/away', { status: 302, headers: { location: `${other.url}/f.png` } });
    const before = api.received.length;
    await download(`${api.url}/moved`, options({ headers: { authorization: 'Bearer t' } }));
    await download(`${api.url}/away`, options({ headers: { authorization: 'Bearer t' } }));
    const [moved, movedTo, away] = api.received.slice(before);
    expect(moved!.headers.authorization).toBe('Bearer t');
    expect(movedTo!.headers.authorization).toBe('Bearer t');
    expect(away!.headers.authorization).toBe('Bearer t');
    expect(other.received[0]!.headers.authorization).toBeUndefined();
    await other.close();
    api.on('GET', '/loop', { status: 302, headers: { location: '/loop' } });
    expect((await failure(download(`${api.url}/loop`, options()))).kind).toBe('permanent');
  });

  it('stops at the size limit, by Content-Length or by counting a chunked body', async () => {
    api.on('GET', '/big', { body: Buffer.alloc(2048, 1) });
    expect(await failure(download(`${api.url}/big`, options()))).toMatchObject({ kind: 'permanent', reason: 'media_too_large' });
    api.on('GET', '/chunked', { body: Buffer.alloc(2048, 1), headers: { 'transfer-encoding': 'chunked' } });
    expect(await failure(download(`${api.url}/chunked`, options()))).toMatchObject({ reason: 'media_too_large' });
  });

  it('gives up after its time limit, and maps 5xx and 429 to retryable errors', async () => {
    api.on('GET', '/slow', { body: Buffer.from('late'), delayMs: 2000 });
    expect(await failure(download(`${api.url}/slow`, options({ timeoutMs: 200 })))).toMatchObject({ kind: 'temporary', reason: 'provider_unavailable' });
    api.on('GET', '/down', { status: 503 });
    expect((await failure(download(`${api.url}/down`, options()))).retryable).toBe(true);
    api.on('GET', '/busy', { status: 429, headers: { 'retry-after': '7' } });
    expect(await failure(download(`${api.url}/busy`, options()))).toMatchObject({ kind: 'rate_limited', retryAfterMs: 7000 });
  });

  it('reads Content-Disposition names', () => {
    expect(fileNameOf('attachment; filename="a \\"b\\".pdf"')).toBe('a "b".pdf');
    expect(fileNameOf('inline; filename=report.csv')).toBe('report.csv');
    expect(fileNameOf(null)).toBeUndefined();
  });
});
