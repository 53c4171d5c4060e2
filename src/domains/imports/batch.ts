// One batch of an import: the rows come normalised and validated (the job does that while earlier
// batches' transactions run); match them against existing contacts and the file so far in one
// SELECT, decide each row (dedupe.ts), and write the effects set-based — a fixed number of
// statements per batch whatever its size. The caller commits this with the job's checkpoint in
// one transaction.
//
// The job runs two batches at a time, each on its own connection (job.ts). A batch's new
// contacts touch nothing the batch before it may still write, so they go first; what can meet
// that batch — existing contacts, new tags, the timeline, the import's counters and checkpoint —
// waits until it has committed (`order.previousCommitted`), so commits stay in file order and the
// two transactions never wait for each other inside the database.
import type { Tx } from '../../platform/db/transaction.js';
import { emit } from '../../platform/events/index.js';
import { addTagPairsToContacts } from '../contacts/index.js';
import { recordTimelineEventSet } from '../timeline/index.js';
import { decide } from './dedupe.js';
import type { Mapping } from './mapping.js';
import { rowKeys, type NormalisedRow } from './normalise-row.js';
import * as bulk from './queries/contacts-bulk.js';
import { insertErrors, insertRowKeys, takeImportTurn } from './store.js';
import type { DedupePolicy } from './tables.js';
import { lap } from './timing.js';

export interface ImportSettings {
  workspaceId: string;
  importId: string;
  headers: string[];
  mapping: Mapping;
  policy: DedupePolicy;
  tagIds: string[];
  createdBy: string | null;
  /** New contacts without an owner get the importing member (so an own/team scope sees them). */
  defaultOwner: string | null;
  /** Whether import_row_keys may hold keys of this import (set by the batch that first writes some). */
  rememberedKeys: boolean;
}

export interface BatchCounts {
  created: number;
  updated: number;
  skipped: number;
  failed: number;
}

/** How a batch follows the one before it, which may still be running on another connection. */
export interface BatchOrder {
  /** The keys the batch before used (dedupe.ts `used`), once it has taken the import's turn and decided its rows. */
  previousDecided: Promise<ReadonlyMap<string, number> | undefined>;
  /** Settles when the batch before has committed (rejects if it failed). */
  previousCommitted: Promise<unknown>;
  /** Receives this batch's keys for the batch after it. */
  decided(used: ReadonlyMap<string, number>): void;
}

type Applied = { row: NormalisedRow; id: string };

export async function applyBatch(tx: Tx, s: ImportSettings, rows: readonly NormalisedRow[], batch: number, order: BatchOrder): Promise<BatchCounts> {
  let t = performance.now();
  // The batch before has taken the turn (so this one can only share it, never race it for it) and
  // decided its rows; its keys count as earlier lines here.
  const earlierBatch = await order.previousDecided;
  t = lap('order', t);
  await takeImportTurn(tx, s.workspaceId, s.importId);
  const keyed = rows.filter((r) => !r.errors.length).map((row) => ({ row, keys: rowKeys(row) }));
  const allKeys = new Set<string>();
  for (const { keys } of keyed) for (const k of keys) allKeys.add(k);
  const matches = await bulk.matchKeys(tx, s.workspaceId, s.importId, [...allKeys], s.rememberedKeys);
  const d = decide(keyed, matches, earlierBatch, s);
  order.decided(d.used);
  t = lap('keys', t);

  const errors = rows.flatMap((row) => row.errors.map((e) => ({ line: row.line, ...e })));
  await insertErrors(tx, s.workspaceId, s.importId, [...errors, ...d.errors]);
  if (d.usedKeys.length) s.rememberedKeys = true;
  await insertRowKeys(tx, s.workspaceId, s.importId, d.usedKeys);
  t = lap('errors+keys', t);

  const { creates, updates } = d;
  await bulk.insertContacts(tx, s.workspaceId, s.importId, creates, s.defaultOwner);
  t = lap('contacts', t);
  await insertIdentities(tx, s, creates);
  t = lap('identities', t);
  await tagContacts(tx, s, creates, () => order.previousCommitted);
  t = lap('tags', t);

  await order.previousCommitted;
  t = lap('order', t);
  const changed = new Set<string>();
  if (s.policy !== 'skip' && updates.length) {
    const updated = await bulk.updateContacts(tx, s.workspaceId, s.policy, updates);
    updated.forEach((id) => changed.add(id));
    t = lap('contacts', t);
    if (s.policy === 'merge') (await insertIdentities(tx, s, updates)).forEach((id) => changed.add(id));
    t = lap('identities', t);
    // Matched contacts get the file's tags under overwrite and merge (added, never removed), and
    // under fill_empty only when they had no tag at all.
    const untagged = s.policy === 'fill_empty' ? new Set(await bulk.untaggedContacts(tx, s.workspaceId, updates.map((u) => u.id))) : undefined;
    await tagContacts(tx, s, untagged ? updates.filter(({ id }) => untagged.has(id)) : updates);
    (await bulk.taggedBy(tx, s.workspaceId, s.importId, updates.map((u) => u.id))).forEach((id) => changed.add(id));
    t = lap('tags', t);
  }

  // A contact the import changed gets an `imported` entry in its timeline (the change is part of
  // its history). Contacts it created do not: the import's record lists them (import_contacts,
  // with the line), and an entry per new contact cost more than the contact itself.
  const lineOf = new Map(updates.map(({ row, id }) => [id, row.line]));
  const changedIds = [...changed];
  if (changedIds.length) {
    await recordTimelineEventSet(tx, s.workspaceId, {
      type: 'imported',
      actorMemberId: s.createdBy,
      contactIds: changedIds,
      props: { importId: s.importId },
      perContact: { line: changedIds.map((id) => lineOf.get(id) ?? null), action: changedIds.map(() => 'updated') },
    });
  }
  // Per-contact contacts.contact.created events would be one outbox row per row imported; the
  // batch says it once, with the ids, for automations that react to new contacts.
  if (creates.length) {
    await emit(tx, s.workspaceId, 'imports.contacts.created', {
      importId: s.importId,
      batch,
      fromLine: rows[0]!.line,
      toLine: rows.at(-1)!.line,
      contactIds: creates.map((c) => c.id),
    });
  }
  lap('events', t);

  return {
    created: creates.length,
    updated: changed.size,
    skipped: d.skipped + updates.length - changed.size,
    failed: d.failedLines.size + rows.filter((r) => r.errors.length).length,
  };
}

/** The rows' identities on their contacts (unique per workspace: one already taken is left out); the contacts that got one. */
function insertIdentities(tx: Tx, s: ImportSettings, applied: readonly Applied[]) {
  return bulk.insertIdentities(
    tx,
    s.workspaceId,
    applied.flatMap(({ row, id }) => row.identities.map((i) => ({ contact_id: id, channel_type: i.channelType, external_id: i.externalId }))),
  );
}

/**
 * The import's tags and each row's own on its contact, in one statement through the contacts
 * domain's addTagPairsToContacts (single-choice groups, one event). Tags no tag has yet are
 * created after `beforeCreating`.
 */
async function tagContacts(tx: Tx, s: ImportSettings, applied: readonly Applied[], beforeCreating?: () => Promise<unknown>) {
  if (!applied.length) return;
  const tagIds = await bulk.resolveTags(tx, s.workspaceId, applied.flatMap(({ row }) => row.tags), beforeCreating);
  const contactIds: string[] = [];
  const pairTags: string[] = [];
  for (const { row, id } of applied) {
    for (const tagId of new Set([...s.tagIds, ...row.tags.map((n) => tagIds.get(n.toLowerCase())!)])) {
      contactIds.push(id);
      pairTags.push(tagId);
    }
  }
  await addTagPairsToContacts(tx, s.workspaceId, { contactIds, tagIds: pairTags }, 'import', s.importId, s.createdBy);
}
