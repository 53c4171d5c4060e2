// Canned responses: the workspace's (managed with inbox:manage) and each agent's own (inbox:write),
// found by shortcut, title or text, and rendered for a conversation with its variables filled.
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { conflict, invalid, notFound } from '../../platform/http/errors.js';
import { decodeCursor, toPage } from '../../platform/http/pagination.js';
import { getConversation } from '../inbox/index.js';
import * as store from './canned-store.js';
import { templateFacts } from './queries/conversations.js';
import type { CannedInput, CannedPatch } from './schema.js';
import { firstName, render, unknownVariables, type TemplateValues } from './template.js';

type Row = Awaited<ReturnType<typeof store.findCanned>> & object;
const toCanned = (r: Row) => ({ id: r.id, shortcut: r.shortcut, title: r.title, body: r.body, scope: r.scope });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkBody(body: string | undefined) {
  const unknown = body === undefined ? [] : unknownVariables(body);
  if (unknown.length) throw invalid(unknown.map((name) => ({ path: 'body', message: `Unknown variable {{${name}}}` })));
}

const writePermission = (scope: 'workspace' | 'personal') => (scope === 'workspace' ? 'inbox:manage' : 'inbox:write');

export async function listCanned(db: Db, actor: Actor, f: { q?: string; cursor?: string; limit: number }) {
  requireAccess(actor, 'inbox:read');
  const after = f.cursor ? decodeCursor(f.cursor, 2) : undefined;
  if (after && !UUID.test(String(after[1]))) throw invalid([{ path: 'cursor', message: 'Invalid cursor' }]);
  const rows = await store.listCanned(db, actor.workspaceId, actor.memberId, { q: f.q || undefined, after: after && { shortcut: String(after[0]), id: String(after[1]) }, limit: f.limit });
  return toPage(rows, f.limit, (r) => [r.shortcut, r.id], toCanned);
}

async function requireCanned(db: Db, actor: Actor, id: string) {
  const row = UUID.test(id) ? await store.findCanned(db, actor.workspaceId, actor.memberId, id) : undefined;
  if (!row) throw notFound('Canned response');
  return row;
}

export async function createCanned(db: Db, actor: Actor, input: CannedInput) {
  requireAccess(actor, writePermission(input.scope));
  checkBody(input.body);
  const row = await store.insertCanned(db, actor.workspaceId, {
    ...input,
    ownerMemberId: input.scope === 'personal' ? actor.memberId : null,
    createdBy: actor.memberId,
  });
  if (!row) throw conflict(`The shortcut /${input.shortcut} is taken`, { reason: 'shortcut_taken' });
  return toCanned(row);
}

export async function updateCanned(db: Db, actor: Actor, id: string, patch: CannedPatch) {
  requireAccess(actor, 'inbox:write');
  const before = await requireCanned(db, actor, id);
  requireAccess(actor, writePermission(before.scope));
  checkBody(patch.body);
  const next = { shortcut: patch.shortcut ?? before.shortcut, title: patch.title ?? before.title, body: patch.body ?? before.body };
  if (await store.shortcutTaken(db, actor.workspaceId, { scope: before.scope, ownerMemberId: before.owner_member_id, shortcut: next.shortcut, exceptId: id })) {
    throw conflict(`The shortcut /${next.shortcut} is taken`, { reason: 'shortcut_taken' });
  }
  return toCanned((await store.updateCanned(db, actor.workspaceId, id, next))!);
}

export async function deleteCanned(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'inbox:write');
  const before = await requireCanned(db, actor, id);
  requireAccess(actor, writePermission(before.scope));
  await store.deleteCanned(db, actor.workspaceId, id);
}

/** The values a template may use, for a conversation and the agent writing in it. */
export async function templateValues(db: Db, workspaceId: string, conversationId: string, agentMemberId: string | null): Promise<TemplateValues> {
  const f = await templateFacts(db, workspaceId, conversationId, agentMemberId);
  if (!f) return {};
  return {
    'contact.name': f.name,
    'contact.first_name': firstName(f.name),
    'contact.company': f.company,
    'contact.email': f.email,
    'contact.phone': f.phone,
    'contact.title': f.title,
    'contact.city': f.city,
    'agent.name': f.agentName,
    'agent.email': f.agentEmail,
    'channel.name': f.channel_name,
    'workspace.name': f.workspace_name,
  };
}

/** The response's text for a conversation the actor sees, as plain text. */
export async function renderCanned(db: Db, actor: Actor, id: string, conversationId: string) {
  requireAccess(actor, 'inbox:read');
  const row = await requireCanned(db, actor, id);
  await getConversation(db, actor, conversationId);
  return { text: render(row.body, await templateValues(db, actor.workspaceId, conversationId, actor.memberId)) };
}
