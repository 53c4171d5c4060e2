// Which thread (visitor id) each conversation is, as far as this process has had to ask: visitor
// sockets without a conversation yet learn theirs from the first message notice that names it.
// One query per new conversation per process, however many sockets wait; bounded in size.
import type { Db } from '../../platform/db/connect.js';
import { threadOf } from './queries/conversation.js';

const MAX = 50_000;

export interface ThreadIndex {
  /** The conversation's thread key, null for one not found, undefined when not asked yet. */
  known(conversationId: string): string | null | undefined;
  lookup(workspaceId: string, conversationId: string): Promise<string | null>;
}

export function createThreadIndex(db: Db): ThreadIndex {
  const threads = new Map<string, string | null>();
  const asking = new Map<string, Promise<string | null>>();
  return {
    known: (id) => threads.get(id),
    lookup(workspaceId, id) {
      let p = asking.get(id);
      if (!p) {
        p = threadOf(db, workspaceId, id)
          .then((row) => {
            if (threads.size >= MAX) threads.clear();
            threads.set(id, row?.thread_key ?? null);
            return row?.thread_key ?? null;
          })
          .catch(() => null)
          .finally(() => asking.delete(id));
        asking.set(id, p);
      }
      return p;
    },
  };
}
