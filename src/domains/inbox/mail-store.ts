// SQL of the e-mail intake: which conversation the mails a message answers are in, and how far
// each IMAP mailbox has been read (mail_mailboxes). Every query is scoped to its workspace.
import { sql } from 'kysely';
import type { Db } from '../../platform/db/connect.js';

/**
 * The thread key of the nearest known message among `references` (nearest first): one of the
 * channel's messages by provider id (ours once sent, the customers' once processed), an inbound
 * event not processed yet, or one of our messages by the Renmai id its Message-ID carries.
 */
export async function threadOfReferences(db: Db, workspaceId: string, channelId: string, references: readonly string[], ours: ReadonlyArray<{ id: string; rank: number }>) {
  const { rows } = await sql<{ thread_key: string }>`
    with wanted (ref, rank) as (select * from unnest(${[...references]}::text[]) with ordinality),
    our (id, rank) as (select * from unnest(${ours.map((o) => o.id)}::uuid[], ${ours.map((o) => o.rank)}::bigint[]))
    select thread_key from (
      select c.thread_key, w.rank from wanted w
      join messages m on m.workspace_id = ${workspaceId} and m.channel_id = ${channelId} and m.provider_message_id = w.ref
      join conversations c on c.workspace_id = m.workspace_id and c.id = m.conversation_id
      union all
      select e.thread_key, w.rank from wanted w
      join inbound_events e on e.workspace_id = ${workspaceId} and e.channel_id = ${channelId} and e.provider_event_id = w.ref and e.kind = 'message'
      union all
      select c.thread_key, o.rank from our o
      join messages m on m.workspace_id = ${workspaceId} and m.channel_id = ${channelId} and m.id = o.id
      join conversations c on c.workspace_id = m.workspace_id and c.id = m.conversation_id
    ) found
    order by rank
    limit 1`.execute(db);
  return rows[0]?.thread_key;
}

export interface MailboxPosition {
  uid_validity: string | null;
  last_uid: string;
  following_since: Date;
}

/**
 * Takes the mailbox's lease for `leaseMs` unless another process holds it; returns where reading
 * stopped (a new or changed account starts afresh), or undefined when the lease is taken.
 */
export async function claimMailbox(db: Db, workspaceId: string, channelId: string, account: string, leaseMs: number) {
  const { rows } = await sql<MailboxPosition>`
    insert into mail_mailboxes as b (workspace_id, channel_id, account, leased_until)
    values (${workspaceId}, ${channelId}, ${account}, now() + ${`${leaseMs} milliseconds`}::interval)
    on conflict (workspace_id, channel_id) do update set
      leased_until = excluded.leased_until,
      account = excluded.account,
      uid_validity = case when b.account = excluded.account then b.uid_validity end,
      last_uid = case when b.account = excluded.account then b.last_uid else 0 end,
      following_since = case when b.account = excluded.account then b.following_since else now() end
    where b.leased_until is null or b.leased_until < now()
    returning uid_validity::text, last_uid::text, following_since`.execute(db);
  return rows[0];
}

export const saveMailboxPosition = (db: Db, workspaceId: string, channelId: string, uidValidity: string, lastUid: number) =>
  sql`update mail_mailboxes set uid_validity = ${uidValidity}::bigint, last_uid = ${lastUid}
      where workspace_id = ${workspaceId} and channel_id = ${channelId}`.execute(db);

export const releaseMailbox = (db: Db, workspaceId: string, channelId: string, error: string | null) =>
  sql`update mail_mailboxes set leased_until = null, last_polled_at = now(), last_error = ${error}
      where workspace_id = ${workspaceId} and channel_id = ${channelId}`.execute(db);
