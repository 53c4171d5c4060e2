// The automatic replies' tests' world: the inbox world (app, fake provider, signed webhooks) with
// a worker that dispatches the outbox to the autoreplies handler and runs it with the inbox's jobs.
import { sql } from 'kysely';
import type { TestApp } from '../../../test/support/app.js';
import { inboxWorld, workspaceWithChannel, type InboxWorld } from '../../../test/support/channel-world.js';
import { settler } from '../../../test/support/settle.js';
import { inboxJobs } from '../inbox/index.js';
import { autorepliesHandler } from './on-events.js';

export async function autoreplyWorld(env: Record<string, string> = {}) {
  const w = await inboxWorld({ PUBLIC_URL: 'https://renmai.example', ...env });
  /** Dispatches events and runs due jobs until nothing is left to do. */
  const settle = settler(w.t, [autorepliesHandler(w.t.config)], inboxJobs(w.t.config), { label: 'autoreplies' });
  return { ...w, settle };
}
export type AutoreplyWorld = Awaited<ReturnType<typeof autoreplyWorld>> & InboxWorld;

/** A signed-in owner's workspace with an api channel (and its id), as in the inbox tests. */
export const workspace = (w: AutoreplyWorld, name = 'Acme') => workspaceWithChannel(w, name);

/** The messages of a workspace, oldest first, with their automation mark. */
export const messagesOf = (w: { t: TestApp }, workspaceId: string) =>
  w.t.database.db
    .selectFrom('messages')
    .select(['id', 'conversation_id', 'direction', 'body', 'status', 'author_member_id', sql<string | null>`content->>'automated'`.as('automated'), sql<string | null>`content->>'automation'`.as('automation')])
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
