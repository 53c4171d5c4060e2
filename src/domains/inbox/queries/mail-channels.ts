// The e-mail transports read the channels domain's table to find their channels: the one an
// envelope recipient names (the listener's routing), and those that read a mailbox (the poller).
// Both look across workspaces, like the hook route's lookup by channel id: an address names a
// channel wherever it is. Settings are stored as the adapter parsed them: lower-cased address,
// defaults filled in.
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/connect.js';

/**
 * The enabled listener channel with this address. Should two claim it, the older keeps it: a
 * channel created later cannot take another's mail.
 */
export async function channelForRecipient(db: Db, address: string): Promise<string | undefined> {
  const { rows } = await sql<{ id: string }>`
    select id from channels
    where type = 'email' and enabled and settings ->> 'address' = ${address} and settings -> 'inbound' ->> 'mode' = 'listener'
    order by created_at, id
    limit 1`.execute(db);
  return rows[0]?.id;
}

export async function mailboxChannels(db: Db) {
  const { rows } = await sql<{ workspace_id: string; id: string }>`
    select workspace_id, id from channels
    where type = 'email' and enabled and settings -> 'inbound' ->> 'mode' = 'imap'
    order by workspace_id, id`.execute(db);
  return rows;
}
