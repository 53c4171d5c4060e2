// Read-only looks at other domains' tables: a contact's conversation on a channel (for progress
// messages), names, avatars and the language.
import { sql } from 'kysely';
import type { Db } from '../../../platform/db/connect.js';

/** The contact's most recent conversation on the channel (where progress messages go). */
export const conversationOn = async (db: Db, workspaceId: string, contactId: string, channelId: string) =>
  (
    await db
      .selectFrom('conversations')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('contact_id', '=', contactId)
      .where('channel_id', '=', channelId)
      .orderBy(sql`last_message_at desc nulls last`)
      .limit(1)
      .executeTakeFirst()
  )?.id;

export const contactCard = (db: Db, workspaceId: string, contactId: string) =>
  db.selectFrom('contacts').select(['name', 'avatar_url']).where('workspace_id', '=', workspaceId).where('id', '=', contactId).executeTakeFirst();

export const workspaceLocale = async (db: Db, workspaceId: string) => (await db.selectFrom('workspaces').select('locale').where('id', '=', workspaceId).executeTakeFirst())?.locale;

/** The stored background file of a campaign (an attachment row: where the inbox keeps its bytes). */
export const attachmentFile = (db: Db, workspaceId: string, attachmentId: string) =>
  db.selectFrom('attachments').select(['sha256', 'mime_type']).where('workspace_id', '=', workspaceId).where('id', '=', attachmentId).executeTakeFirst();
