// An in-process Renmai app on a fresh database, driven through real HTTP request handling
// (fastify.inject), with helpers to sign people up and act as them.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { hashPassword } from '../../src/platform/auth/passwords.js';
import { insertUser } from '../../src/platform/auth/store.js';
import { createWorkspace } from '../../src/domains/workspaces/index.js';
import { insertMember, insertRoles } from '../../src/domains/workspaces/workspaces-store.js';
import { createLogger } from '../../src/platform/log/logger.js';
import { createTestDatabase, type TestDatabase } from './db.js';

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  config: Config;
  close(): Promise<void>;
}

export async function createTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig({ LOG_LEVEL: 'silent', PASSWORD_SCRYPT_LOG_N: '10', WORKER: 'false', ...env });
  const app = await buildApp({ db: database.db, database, config, logger: createLogger(config.LOG_LEVEL) });
  await app.ready();
  return {
    app,
    database,
    config,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

let counter = 0;

/** A person with a password, optionally owning a new workspace. */
export async function createUser(t: TestApp, options: { name?: string; email?: string; password?: string } = {}) {
  counter += 1;
  const password = options.password ?? 'correct horse battery';
  const email = options.email ?? `user${counter}-${Date.now()}@example.com`;
  const user = await insertUser(t.database.db, {
    email,
    name: options.name ?? `User ${counter}`,
    passwordHash: await hashPassword(password, t.config.PASSWORD_SCRYPT_LOG_N),
  });
  return { ...user, password };
}

export async function createOwner(t: TestApp, workspaceName = 'Acme') {
  const user = await createUser(t);
  const { workspace, ownerMemberId } = await createWorkspace(t.database.db, user.id, workspaceName);
  return { user, workspace, memberId: ownerMemberId! };
}

/** A new workspace's owner, already signed in, and the ids of its built-in roles by key. */
export async function signedInOwner(t: TestApp, workspaceName = 'Acme') {
  const owner = await createOwner(t, workspaceName);
  const roles = await t.database.db.selectFrom('roles').select(['id', 'key']).where('workspace_id', '=', owner.workspace.id).execute();
  const roleId = (key: string) => roles.find((r) => r.key === key)!.id;
  return { ...owner, client: await Client.login(t, owner.user.email, owner.user.password), roleId };
}

/** A signed-in browser: keeps the cookies and sends the CSRF header on writes, like the console. */
export class Client {
  private cookies = new Map<string, string>();
  constructor(private readonly t: TestApp, private readonly bearer?: string) {}

  static async login(t: TestApp, email: string, password: string): Promise<Client> {
    const client = new Client(t);
    const res = await client.request('POST', '/api/v1/auth/login', { email, password });
    if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
    return client;
  }

  get csrf() {
    return this.cookies.get('renmai_csrf');
  }

  async request(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const all: Record<string, string> = { ...headers };
    if (this.bearer) all.authorization = `Bearer ${this.bearer}`;
    if (this.cookies.size) all.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (method !== 'GET' && this.csrf && !('x-csrf-token' in headers)) all['x-csrf-token'] = this.csrf;
    const res = await this.t.app.inject({
      method: method as 'GET',
      url,
      headers: all,
      ...(body === undefined ? {} : typeof body === 'string' ? { payload: body, headers: { 'content-type': 'application/json', ...all } } : { payload: body as object }),
    });
    for (const c of res.cookies as Array<{ name: string; value: string; maxAge?: number; expires?: Date }>) {
      const cleared = c.value === '' || c.maxAge === 0 || (c.expires && c.expires.getTime() <= Date.now());
      if (cleared) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }

  get = (url: string) => this.request('GET', url);
  post = (url: string, body?: unknown, headers?: Record<string, string>) => this.request('POST', url, body ?? {}, headers);
  patch = (url: string, body: unknown) => this.request('PATCH', url, body);
  put = (url: string, body: unknown) => this.request('PUT', url, body);
  delete = (url: string) => this.request('DELETE', url);
}

export const apiClient = (t: TestApp, secret: string) => new Client(t, secret);

/** Adds a new person to a workspace with a built-in role (by key) or a custom role (by definition). */
export async function addMember(
  t: TestApp,
  workspaceId: string,
  role: string | { name: string; permissions: string[]; scope: 'own' | 'team' | 'team_tree' | 'all' },
) {
  const db = t.database.db;
  const roleId =
    typeof role === 'string'
      ? (await db.selectFrom('roles').select('id').where('workspace_id', '=', workspaceId).where('key', '=', role).executeTakeFirstOrThrow()).id
      : (await insertRoles(db, workspaceId, [{ key: null, ...role }]))[0]!.id;
  const user = await createUser(t);
  const member = await insertMember(db, workspaceId, { userId: user.id, roleId });
  return { user, memberId: member.id, login: () => Client.login(t, user.email, user.password) };
}

/** Puts members into a (new) team, optionally under a parent team; returns the team id. */
export async function createTeam(t: TestApp, workspaceId: string, memberIds: string[], parentId: string | null = null) {
  const db = t.database.db;
  const team = await db.insertInto('teams').values({ workspace_id: workspaceId, name: `team-${++counter}`, parent_id: parentId }).returning('id').executeTakeFirstOrThrow();
  if (memberIds.length) await db.insertInto('team_members').values(memberIds.map((member_id) => ({ workspace_id: workspaceId, team_id: team.id, member_id }))).execute();
  return team.id;
}
