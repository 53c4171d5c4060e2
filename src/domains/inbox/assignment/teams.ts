// Each team's assignment settings (automatic or not, round-robin or least-busy, the per-agent
// cap) with its queue and agents as they stand.
import { recordAudit } from '../../../platform/audit/audit.js';
import { requireAccess, type Actor } from '../../../platform/auth/actor.js';
import type { Db } from '../../../platform/db/connect.js';
import { inTransaction } from '../../../platform/db/transaction.js';
import { notFound } from '../../../platform/http/errors.js';
import { listAgents, teamExists } from '../queries/agents.js';
import { offerTeam } from './assign.js';
import * as store from './store.js';

/** Agents listed with a team's settings; a bigger team pages through GET /inbox/presence?teamId=. */
const AGENTS_SHOWN = 200;

async function view(db: Db, workspaceId: string, teamId: string) {
  const s = await store.findSettings(db, workspaceId, teamId);
  const settings = { autoAssign: s?.auto_assign ?? false, mode: s?.mode ?? 'round_robin', agentCap: s?.agent_cap ?? null };
  const queue = await store.queueStats(db, workspaceId, teamId);
  const agents = await listAgents(db, workspaceId, { teamId, limit: AGENTS_SHOWN });
  return {
    teamId,
    ...settings,
    queue: { waiting: Number(queue.waiting), oldestWaitingSince: queue.oldest },
    agents: agents.map((a) => ({ ...a, atCap: settings.agentCap !== null && a.openConversations >= settings.agentCap })),
  };
}

async function requireTeam(db: Db, actor: Actor, teamId: string) {
  if (!(await teamExists(db, actor.workspaceId, teamId))) throw notFound('Team');
}

export async function getTeamAssignment(db: Db, actor: Actor, teamId: string) {
  requireAccess(actor, 'inbox:read');
  await requireTeam(db, actor, teamId);
  return view(db, actor.workspaceId, teamId);
}

export async function updateTeamAssignment(db: Db, actor: Actor, teamId: string, input: store.SettingsInput) {
  requireAccess(actor, 'inbox:manage');
  return inTransaction(db, async (tx) => {
    await requireTeam(tx, actor, teamId);
    const before = await store.findSettings(tx, actor.workspaceId, teamId);
    await store.saveSettings(tx, actor.workspaceId, teamId, input);
    await recordAudit(tx, actor, {
      action: 'team.assignment_updated',
      entityType: 'team',
      entityId: teamId,
      before: before ? { autoAssign: before.auto_assign, mode: before.mode, agentCap: before.agent_cap } : null,
      after: { ...input },
    });
    // Turned on, or a higher cap: the queue may move now.
    await offerTeam(tx, actor.workspaceId, teamId);
    return view(tx, actor.workspaceId, teamId);
  });
}
