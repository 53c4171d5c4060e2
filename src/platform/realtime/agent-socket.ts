// A member's socket (the console, or an integration with an API key). The platform knows two
// audiences itself: one member (`{ m }`) and everyone holding a permission (`{ p }`); domains add
// guarded ones (`{ g: name, … }`) with a guard that decides, from state it loads per socket (e.g.
// which teams the member is in), whether a notice is for this socket. Domains also answer client
// messages by type, and hear when a member's sockets come and stay, for presence.
import type { Actor } from '../auth/actor.js';
import { actorForApiKey } from '../auth/api-keys.js';
import { actorForSession, findSession } from '../auth/sessions.js';
import type { Db } from '../db/connect.js';
import type { Connection } from './connection.js';
import type { ClientMessage, Subscriber } from './hub.js';
import type { Audience, ClientEvent, Notice } from './notice.js';

export interface AgentGuard<S> {
  /** Loaded when the socket opens and again at every refresh. */
  load(db: Db, actor: Actor): Promise<S>;
  /** `main` for the notice's event, a key of its `alt` for another version, undefined for none. */
  check(state: S, actor: Actor, to: Audience): string | undefined;
}

export interface AgentContext {
  db: Db;
  actor: Actor;
  connection: Connection;
}

export type AgentMessageHandler = (ctx: AgentContext, message: ClientMessage) => Promise<void>;

export interface MemberRef {
  workspaceId: string;
  memberId: string;
}

/** How a domain hears about people being connected: once per opened socket, and every `everyMs` while they stay. */
export interface AgentPresence {
  everyMs: number;
  opened(db: Db, member: MemberRef): Promise<unknown>;
  alive(db: Db, members: MemberRef[]): Promise<void>;
}

export interface AgentExtension {
  /** The extension's events and client messages, for the OpenAPI description of the socket. */
  describe?: string;
  // A guard's state type is its own business; the registry holds guards of any state.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  guards?: Record<string, AgentGuard<any>>;
  messages?: Record<string, AgentMessageHandler>;
  presence?: AgentPresence;
}

/** What the socket was opened with, kept to re-check it: the session token or the API key. */
export type Credential = { session: string } | { apiKey: string };

/** Same rules as HTTP: a live session's active workspace, or a live API key's member and scopes. */
export async function actorFor(db: Db, credential: Credential): Promise<Actor | null> {
  if ('apiKey' in credential) return actorForApiKey(db, credential.apiKey);
  const session = await findSession(db, credential.session);
  return session ? actorForSession(db, session) : null;
}

const isMember = (to: Audience): to is { m: string } => typeof (to as { m?: unknown }).m === 'string';
const isPermission = (to: Audience): to is { p: string } => typeof (to as { p?: unknown }).p === 'string';

export interface AgentSubscriberOptions {
  db: Db;
  actor: Actor;
  credential: Credential;
  extensions: readonly AgentExtension[];
  /** Called when the socket closes (presence bookkeeping of the endpoint). */
  onClose(): void;
}

export async function agentSubscriber(options: AgentSubscriberOptions): Promise<Subscriber> {
  const { db, credential, extensions } = options;
  let actor = options.actor;
  const guards = new Map(extensions.flatMap((x) => Object.entries(x.guards ?? {})));
  const handlers = new Map(extensions.flatMap((x) => Object.entries(x.messages ?? {})));
  let states = new Map<string, unknown>();

  async function load() {
    const next = new Map<string, unknown>();
    for (const [name, guard] of guards) next.set(name, await guard.load(db, actor));
    states = next;
  }
  await load();

  const pick = (notice: Notice, variant: string | undefined): ClientEvent | undefined =>
    variant === undefined ? undefined : variant === 'main' ? notice.e : notice.alt?.[variant];

  return {
    workspaceId: actor.workspaceId,
    select(notice) {
      const { to } = notice;
      if (isMember(to)) return to.m === actor.memberId ? notice.e : undefined;
      if (isPermission(to)) return (actor.permissions as ReadonlySet<string>).has(to.p) ? notice.e : undefined;
      const guard = guards.get(to.g);
      return guard ? pick(notice, guard.check(states.get(to.g), actor, to)) : undefined;
    },
    async receive(message, connection) {
      const handler = handlers.get(message.type);
      if (!handler) return void connection.send({ type: 'error', data: { code: 'validation_failed', message: `Unknown message type ${message.type}`, for: message.type } });
      await handler({ db, actor, connection }, message);
    },
    async refresh() {
      const now = await actorFor(db, credential);
      // Signed out, key revoked, member deactivated, or the session moved to another workspace.
      if (!now || now.workspaceId !== actor.workspaceId || now.memberId !== actor.memberId) return false;
      actor = now;
      await load();
      return true;
    },
    closed: options.onClose,
  };
}
