// The welcome a live code gives whoever arrives through it (the arrival's `source` is the code's
// slug): the code's own welcome message instead of the channel's, or none at all when the
// arrival's name contains one of the code's blocked words (a competitor's staff, a spam name).
import type { Db } from '../../platform/db/connect.js';
import { contactName } from './queries/refs.js';
import * as store from './store.js';

export type ArrivalWelcome = { text: string } | { blocked: string };

/** Undefined: the source names no code of the workspace, or the code leaves the welcome to the channel. */
export async function arrivalWelcome(db: Db, workspaceId: string, source: string, contactId: string): Promise<ArrivalWelcome | undefined> {
  const code = await store.findCodeBySlug(db, workspaceId, source);
  if (!code) return undefined;
  if (code.welcome_blocked_names.length) {
    const name = (await contactName(db, workspaceId, contactId))?.toLowerCase() ?? '';
    const blocked = code.welcome_blocked_names.find((word) => name.includes(word.toLowerCase()));
    if (blocked) return { blocked };
  }
  return code.welcome_message ? { text: code.welcome_message } : undefined;
}
