// HTTP conventions: problem+json for every kind of bad input, nothing written on refusal,
// idempotent POST, request ids, health and the OpenAPI document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, createOwner, createTestApp, type TestApp } from '../../../test/support/app.js';

let t: TestApp;
let owner: Client;
let workspaceId: string;

const countKeys = async () =>
  (await t.database.db.selectFrom('api_keys').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow()).n;

beforeAll(async () => {
  t = await createTestApp({ BODY_LIMIT_BYTES: '2048' });
  const o = await createOwner(t);
  workspaceId = o.workspace.id;
  owner = await Client.login(t, o.user.email, o.user.password);
});
afterAll(() => t.close());

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a problem document's extras vary by code
type ProblemJson = any;

function expectProblem(res: { statusCode: number; headers: Record<string, unknown>; json(): ProblemJson }, status: number, code: string) {
  expect(res.statusCode).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.json()).toMatchObject({ status, code, type: expect.stringContaining(code) });
  return res.json();
}

describe('bad input', () => {
  it('malformed JSON → 400 malformed_json, nothing written', async () => {
    expectProblem(await owner.request('POST', '/api/v1/api-keys', '{"name": "x", '), 400, 'malformed_json');
    expect(await countKeys()).toBe(0);
  });

  it('body over the limit → 413 payload_too_large', async () => {
    expectProblem(await owner.post('/api/v1/api-keys', { name: 'x'.repeat(5000), scopes: ['audit:read'] }), 413, 'payload_too_large');
    expect(await countKeys()).toBe(0);
  });

  it('unknown fields and wrong types → 400 validation_failed naming the fields', async () => {
    const unknown = expectProblem(await owner.post('/api/v1/api-keys', { name: 'x', scopes: ['audit:read'], color: 'red' }), 400, 'validation_failed');
    expect(unknown.errors).toContainEqual({ path: 'color', message: 'Unknown field' });
    const wrong = expectProblem(await owner.post('/api/v1/api-keys', { name: 42, scopes: 'audit:read' }), 400, 'validation_failed');
    expect(wrong.errors.map((e: { path: string }) => e.path).sort()).toEqual(['name', 'scopes']);
    const badScope = expectProblem(await owner.post('/api/v1/api-keys', { name: 'x', scopes: ['nope:read'] }), 400, 'validation_failed');
    expect(badScope.errors[0].path).toBe('scopes.0');
    expect(await countKeys()).toBe(0);
  });

  it('a body carrying workspace_id / workspaceId is refused and moves nothing', async () => {
    const other = await createOwner(t, 'Other');
    for (const field of ['workspaceId', 'workspace_id']) {
      const res = await owner.post('/api/v1/api-keys', { name: 'x', scopes: ['audit:read'], [field]: other.workspace.id });
      expectProblem(res, 400, 'validation_failed');
    }
    const inOther = await t.database.db.selectFrom('api_keys').select('id').where('workspace_id', '=', other.workspace.id).execute();
    expect(inOther).toEqual([]);
  });

  it('bad query parameters and cursors → 400', async () => {
    expectProblem(await owner.get('/api/v1/api-keys?limit=100000'), 400, 'validation_failed');
    expectProblem(await owner.get('/api/v1/api-keys?cursor=garbage'), 400, 'validation_failed');
  });

  it('unknown API route → problem+json 404; a console path → the SPA', async () => {
    expectProblem(await owner.get('/api/v1/nothing-here'), 404, 'not_found');
  });
});

describe('authentication', () => {
  it('no credentials → 401; bad bearer → 401', async () => {
    expectProblem(await new Client(t).get('/api/v1/api-keys'), 401, 'unauthenticated');
    expectProblem(await new Client(t, 'rmk_nope_nope').get('/api/v1/api-keys'), 401, 'unauthenticated');
  });

  it('a cookie-authenticated write without the CSRF header is refused and writes nothing', async () => {
    expectProblem(await owner.request('POST', '/api/v1/api-keys', { name: 'x', scopes: ['audit:read'] }, { 'x-csrf-token': 'forged' }), 403, 'csrf_failed');
    expect(await countKeys()).toBe(0);
  });

  it('public routes ignore the console cookie, so a signed-in browser posts to them without a CSRF token', async () => {
    const res = await owner.request('POST', '/api/v1/auth/login', { email: 'nobody@example.com', password: 'wrong password' }, { 'x-csrf-token': 'forged' });
    expect(res.statusCode).not.toBe(403);
  });
});

describe('Idempotency-Key', () => {
  it('replays the first response and creates once; another body with the same key → 422', async () => {
    const body = { name: 'once', scopes: ['audit:read'] };
    const first = await owner.post('/api/v1/api-keys', body, { 'idempotency-key': 'k-1' });
    const again = await owner.post('/api/v1/api-keys', body, { 'idempotency-key': 'k-1' });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(await countKeys()).toBe(1);
    expectProblem(await owner.post('/api/v1/api-keys', { ...body, name: 'other' }, { 'idempotency-key': 'k-1' }), 422, 'idempotency_mismatch');
    expect(await countKeys()).toBe(1);
  });

  it('keys are per caller: another member using the same key gets their own result', async () => {
    const o = await createOwner(t, 'Third');
    const other = await Client.login(t, o.user.email, o.user.password);
    const res = await other.post('/api/v1/api-keys', { name: 'once', scopes: ['audit:read'] }, { 'idempotency-key': 'k-1' });
    expect(res.statusCode).toBe(201);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
  });
});

describe('operability', () => {
  it('every response carries a request id, and a sane incoming one is kept', async () => {
    const res = await owner.get('/api/v1/auth/me');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await owner.request('GET', '/api/v1/auth/me', undefined, { 'x-request-id': 'trace-123' });
    expect(kept.headers['x-request-id']).toBe('trace-123');
    const problem = await new Client(t).get('/api/v1/api-keys');
    expect(problem.json().requestId).toBe(problem.headers['x-request-id']);
  });

  it('healthz and readyz', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
  });

  it('serves an OpenAPI 3.1 document generated from the route schemas, and the docs page', async () => {
    const doc = (await t.app.inject('/api/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/auth/login', '/api/v1/api-keys', '/api/v1/audit-log']));
    expect(doc.paths['/api/v1/api-keys'].post.requestBody.content['application/json'].schema.required).toEqual(['name', 'scopes']);
    const docs = await t.app.inject('/api/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('swagger');
  });
});

describe('cursors', () => {
  it('a well-formed cursor naming a non-uuid row is refused as invalid, not a 500', async () => {
    const forged = Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000Z', 'not-a-uuid'])).toString('base64url');
    expectProblem(await owner.get(`/api/v1/api-keys?cursor=${forged}`), 400, 'validation_failed');
  });
});

describe('bodies', () => {
  it('an empty body sent as JSON counts as no body, and __proto__ poisoning is refused', async () => {
    // parsed as no body: the route then asks for its required fields, rather than calling it malformed
    expectProblem(await owner.request('POST', '/api/v1/auth/switch-workspace', ''), 400, 'validation_failed');
    expectProblem(await owner.request('POST', '/api/v1/api-keys', '{"name":"x","scopes":["audit:read"],"__proto__":{"admin":true}}'), 400, 'malformed_json');
  });
});
