// A workspace and its owner signed in to the console over HTTP, as a user would be: the cookie and
// CSRF token a benchmark needs to call the API and open the members' socket.
import { createAdmin, createWorkspace } from '../../src/domains/workspaces/index.js';
import type { BenchServer } from './server.js';

export async function signedInOwner(server: BenchServer, workspaceName: string) {
  const email = 'bench-agent@example.test';
  const password = `bench-${Math.random().toString(36).slice(2)}-password`;
  const { workspace } = await createWorkspace(server.db, null, workspaceName);
  await createAdmin(server.db, server.config.PASSWORD_SCRYPT_LOG_N, { workspace: workspace.id, email, password, name: '客服 小王' });
  const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
  const cookies = login.headers.getSetCookie().map((c) => c.split(';')[0]!);
  const cookie = cookies.join('; ');
  const csrf = cookies.find((c) => c.startsWith('renmai_csrf='))?.slice('renmai_csrf='.length) ?? '';
  /** POSTs JSON as the owner; throws unless the status is `expected`. */
  async function post<T>(path: string, body: unknown, expected = 201): Promise<T> {
    const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, origin: server.url, 'x-csrf-token': csrf }, body: JSON.stringify(body) });
    if (res.status !== expected) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }
  return { workspaceId: workspace.id, cookie, post };
}
