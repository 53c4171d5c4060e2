import type { Generated } from 'kysely';
// The whole database as Kysely sees it: each area declares its own tables beside its migrations.
import type { AuditTables } from '../audit/tables.js';
import type { AutotagTables } from '../../domains/autotag/tables.js';
import type { ContactTables } from '../../domains/contacts/tables.js';
import type { ImportTables } from '../../domains/imports/tables.js';
import type { MergeTables } from '../../domains/merges/tables.js';
import type { RfmTables } from '../../domains/rfm/tables.js';
import type { PreferenceTables } from '../../domains/preferences/tables.js';
import type { SegmentTables } from '../../domains/segments/tables.js';
import type { TimelineTables } from '../../domains/timeline/tables.js';
import type { WorkspaceTables } from '../../domains/workspaces/tables.js';
import type { ChannelTables } from '../../domains/channels/tables.js';
import type { InboxTables } from '../../domains/inbox/tables.js';
import type { AuthTables } from '../auth/tables.js';
import type { EventTables } from '../events/tables.js';
import type { HttpTables } from '../http/tables.js';
import type { QueueTables } from '../queue/tables.js';

export interface Database
  extends AuthTables, WorkspaceTables, AuditTables, EventTables, QueueTables, HttpTables, ContactTables, TimelineTables, ImportTables, MergeTables, RfmTables, PreferenceTables, SegmentTables, AutotagTables, ChannelTables, InboxTables {
  schema_migrations: { name: string; checksum: string; applied_at: Generated<Date> };
}
