// One batch of an import: the rows come normalised and validated (the job does that while the
// previous batch's transaction runs); match them (within the batch, against the file so far and
// against existing contacts) in one SELECT, apply the policy, and write the effects set-based —
// a fixed number of statements per batch whatever its size. The caller commits this with the
// job's checkpoint in one transaction.
import type { Tx } from '../../platform/db/transaction.js';
import { emit } from '../../platform/events/index.js';
import { addTagPairsToContacts } from '../contacts/index.js';
import { recordTimelineEventSet } from '../timeline/index.js';
import { timeOrderedId } from './ids.js';
import type { Mapping } from './mapping.js';
import { rowKeys, type NormalisedRow, type RowError } from './normalise-row.js';
import * as bulk from './queries/contacts-bulk.js';
import { insertErrors, insertRowKeys } from './store.js';
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
  /** Contacts this run has created so far (when to refresh the planner's statistics). */
  createdSoFar: number;
}

export interface BatchCounts {
  created: number;
  updated: number;
  skipped: number;
  failed: number;
}

const KEY_NAMES: Record<string, string> = { phone: 'phone', email: 'e-mail', identity: 'identity' };

/** The header a key came from (for the error report's column). */
function headerOf(key: string, mapping: Mapping): string {
  const target = key.startsWith('identity:') ? `identity.${key.split(':')[1]}` : key.split(':')[0]!;
  return Object.keys(mapping).find((h) => mapping[h] === target) ?? '';
}

export async function applyBatch(tx: Tx, s: ImportSettings, rows: readonly NormalisedRow[], batch: number): Promise<BatchCounts> {
  let t = performance.now();
  await bulk.lockWorkspaceImports(tx, s.workspaceId);
  if (await bulk.analyzeWhenOutgrown(tx, s.createdSoFar)) t = lap('analyze', t);
  const errors: Array<RowError & { line: number }> = [];
  const failedLines = new Set<number>();
  const fail = (line: number, column: string, reason: string) => {
    errors.push({ line, column, reason });
    failedLines.add(line);
  };
  for (const row of rows) for (const e of row.errors) fail(row.line, e.column, e.reason);
  const valid = rows.filter((r) => !r.errors.length);

  const keysOf = new Map(valid.map((r) => [r, rowKeys(r)]));
  const allKeys = new Set<string>();
  for (const keys of keysOf.values()) for (const k of keys) allKeys.add(k);
  const matches = await bulk.matchKeys(tx, s.workspaceId, s.importId, [...allKeys], s.rememberedKeys);
  // Keys (and contact:<id>) → the line that used them: earlier rows of this batch, and rows of
  // earlier batches that matched existing contacts. Contacts earlier batches created → their line.
  const earlierLine = new Map<string, number>();
  const createdLine = new Map<string, number>();
  const holders = new Map<string, Array<{ id: string; live: boolean }>>();
  for (const m of matches) {
    if (m.kind === 'file') earlierLine.set(m.key, m.line!);
    else if (m.kind === 'created') createdLine.set(m.contact_id!, m.line!);
    else {
      const list = holders.get(m.key);
      if (list) list.push({ id: m.contact_id!, live: m.live });
      else holders.set(m.key, [{ id: m.contact_id!, live: m.live }]);
    }
  }

  const creates: Array<{ row: NormalisedRow; id: string }> = [];
  const updates: Array<{ row: NormalisedRow; id: string }> = [];
  // Only rows that matched existing contacts are remembered across batches: a contact this
  // import created holds the row's keys itself, and import_contacts names its line.
  const usedKeys: Array<{ key: string; line: number }> = [];
  let skipped = 0;

  for (const row of valid) {
    const keys = keysOf.get(row)!;
    const ids = new Set<string>();
    let refused = false;
    for (const key of keys) {
      for (const h of holders.get(key) ?? []) {
        if (!h.live) {
          fail(row.line, headerOf(key, s.mapping), `${key.split(':').slice(2).join(':')} belongs to a deleted contact; restore it first`);
          refused = true;
        }
        ids.add(h.id);
      }
    }
    if (refused) continue;
    const contactKeys = [...ids].map((id) => `contact:${id}`);
    // The first key an earlier row used: in this batch or remembered, or held by a contact an
    // earlier batch created (that row had the key); then the matched contacts themselves.
    let duplicate: { key: string; line: number } | undefined;
    for (const key of keys) {
      const line = earlierLine.get(key) ?? holders.get(key)?.map((h) => createdLine.get(h.id)).find((l) => l !== undefined);
      if (line !== undefined) {
        duplicate = { key, line };
        break;
      }
    }
    if (!duplicate) {
      const key = contactKeys.find((k) => earlierLine.has(k));
      if (key) duplicate = { key, line: earlierLine.get(key)! };
    }
    if (duplicate) {
      const what = duplicate.key.startsWith('contact:') ? 'the same existing contact' : `the same ${KEY_NAMES[duplicate.key.split(':')[0]!]}`;
      const column = duplicate.key.startsWith('contact:') ? headerOf(keys[0]!, s.mapping) : headerOf(duplicate.key, s.mapping);
      fail(row.line, column, `Duplicate of line ${duplicate.line} (${what})`);
      continue;
    }
    const remember = (persist: boolean) => (k: string) => {
      earlierLine.set(k, row.line);
      if (persist) usedKeys.push({ key: k, line: row.line });
    };
    if (ids.size > 1) {
      // The file's keys point at different contacts: nothing to choose between under skip;
      // otherwise writing to one would be a guess, so the row waits for a merge.
      if (s.policy === 'skip') {
        skipped++;
        [...keys, ...contactKeys].forEach(remember(true));
      } else {
        fail(row.line, headerOf(keys[0]!, s.mapping), `Matches ${ids.size} different contacts; merge them first`);
      }
      continue;
    }
    const [existing] = ids;
    [...keys, ...contactKeys].forEach(remember(existing !== undefined));
    if (!existing) creates.push({ row, id: timeOrderedId() });
    else if (s.policy === 'skip') skipped++;
    else updates.push({ row, id: existing });
  }
  t = lap('keys', t);

  await insertErrors(tx, s.workspaceId, s.importId, errors);
  if (usedKeys.length) s.rememberedKeys = true;
  await insertRowKeys(tx, s.workspaceId, s.importId, usedKeys);
  t = lap('errors+keys', t);

  await bulk.insertContacts(
    tx,
    s.workspaceId,
    s.importId,
    creates.map(({ row, id }) => ({
      id,
      line: row.line,
      columns: row.columns.owner_member_id || !s.defaultOwner ? row.columns : { ...row.columns, owner_member_id: s.defaultOwner },
      custom: row.custom,
    })),
  );
  const changed = new Set<string>();
  if (s.policy !== 'skip') {
    const updated = await bulk.updateContacts(tx, s.workspaceId, s.policy, updates.map(({ row, id }) => ({ id, columns: row.columns, custom: row.custom })));
    updated.forEach((id) => changed.add(id));
  }
  t = lap('contacts', t);

  const withIdentities = s.policy === 'merge' ? [...creates, ...updates] : creates;
  const identityRows = withIdentities.flatMap(({ row, id }) => row.identities.map((i) => ({ contact_id: id, channel_type: i.channelType, external_id: i.externalId })));
  const gotIdentity = await bulk.insertIdentities(tx, s.workspaceId, identityRows);
  t = lap('identities', t);

  // Tags: every created contact; matched ones under overwrite and merge (added, never removed),
  // and under fill_empty only when the contact had no tag at all. One statement for the batch
  // through the contacts domain's addTagPairsToContacts (single-choice groups, one event).
  const created = new Set(creates.map((c) => c.id));
  const untagged = s.policy === 'fill_empty' ? new Set(await bulk.untaggedContacts(tx, s.workspaceId, updates.map((u) => u.id))) : undefined;
  const tagged = s.policy === 'skip' ? creates : [...creates, ...updates].filter(({ id }) => !untagged || created.has(id) || untagged.has(id));
  const tagIds = await bulk.resolveTags(tx, s.workspaceId, tagged.flatMap(({ row }) => row.tags));
  const pairContacts: string[] = [];
  const pairTags: string[] = [];
  for (const { row, id } of tagged) {
    for (const tagId of new Set([...s.tagIds, ...row.tags.map((n) => tagIds.get(n.toLowerCase())!)])) {
      pairContacts.push(id);
      pairTags.push(tagId);
    }
  }
  await addTagPairsToContacts(tx, s.workspaceId, { contactIds: pairContacts, tagIds: pairTags }, 'import', s.importId, s.createdBy);
  const gotTag = await bulk.taggedBy(tx, s.workspaceId, s.importId, updates.map((u) => u.id));
  t = lap('tags', t);

  for (const id of [...gotIdentity, ...gotTag]) if (!created.has(id)) changed.add(id);
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

  s.createdSoFar += creates.length;
  return {
    created: creates.length,
    updated: changed.size,
    skipped: skipped + updates.length - changed.size,
    failed: failedLines.size,
  };
}
