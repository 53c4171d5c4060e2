// The worker's safety net beside event-driven assignment: members whose sockets went quiet go
// offline, and every team with a queue is offered it again (a teammate added to the team, a
// role changed, a drain job that failed for good: nothing announces those).
import type { Logger } from 'pino';
import type { Config } from '../../../config.js';
import type { Db } from '../../../platform/db/connect.js';
import { startPeriodic } from '../../../platform/periodic.js';
import { drainTeam } from './assign.js';
import { expirePresence } from './presence.js';
import { teamsWithQueues } from './store.js';

export async function sweepAssignments(db: Db, timeoutSeconds: number) {
  const offline = await expirePresence(db, timeoutSeconds);
  let assigned = 0;
  for (const t of await teamsWithQueues(db)) assigned += (await drainTeam(db, t.workspace_id, t.team_id)).assigned;
  return offline || assigned ? { offline, assigned } : undefined;
}

export const startAssignmentSweep = (db: Db, logger: Logger, config: Pick<Config, 'PRESENCE_TIMEOUT_SECONDS'>) =>
  startPeriodic('inbox assignment sweep', (config.PRESENCE_TIMEOUT_SECONDS * 1000) / 3, () => sweepAssignments(db, config.PRESENCE_TIMEOUT_SECONDS), logger);
