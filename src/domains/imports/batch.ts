// One batch of an import: normalise and validate the rows, match them (within the batch, against
// the file so far and against existing contacts) in one SELECT, apply the policy, and write the
// effects set-based. The caller commits this with the job's checkpoint in one transaction.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../platform/db/connect.js';
import { addTagsToContacts } from '../contacts/index.js';
import { recordTimelineEvents } from '../timeline/index.js';
import type { CsvRecord } from './csv.js';
import type { Mapping } from './mapping.js';
import { normaliseRow, rowKeys, type Lookup, type NormalisedRow, type RowError } from './normalise-row.js';
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

export async function applyBatch(tx: Db, s: ImportSettings, lookup: Lookup, records: readonly CsvRecord[]): Promise<BatchCounts> {
  let t = performance.now();
  await bulk.lockWorkspaceImports(tx, s.workspaceId);
  const rows = records.map((r) => normaliseRow(r.line, r.cells, s.headers, s.mapping, lookup));
  const errors: Array<RowError & { line: number }> = [];
  const failedLines = new Set<number>();
  const fail = (line: number, column: string, reason: string) => {
    errors.push({ line, column, reason });
    failedLines.add(line);
  };
  for (const row of rows) for (const e of row.errors) fail(row.line, e.column, e.reason);
  const valid = rows.filter((r) => !r.errors.length);

  t = lap('normalise', t);
  const keysOf = new Map(valid.map((r) => [r, rowKeys(r)]));
  const matches = await bulk.matchKeys(tx, s.workspaceId, s.importId, [...new Set([...keysOf.values()].flat())]);
  const earlierLine = new Map<string, number>();
  const holders = new Map<string, Array<{ id: string; live: boolean }>>();
  for (const m of matches) {
    if (m.kind === 'file') earlierLine.set(m.key, m.line!);
    else holders.set(m.key, [...(holders.get(m.key) ?? []), { id: m.contact_id!, live: m.live }]);
  }

  const creates: Array<{ row: NormalisedRow; id: string }> = [];
  const updates: Array<{ row: NormalisedRow; id: string }> = [];
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
    const duplicate = [...keys, ...contactKeys].find((k) => earlierLine.has(k));
    if (duplicate) {
      const what = duplicate.startsWith('contact:') ? 'the same existing contact' : `the same ${KEY_NAMES[duplicate.split(':')[0]!]}`;
      const column = duplicate.startsWith('contact:') ? headerOf(keys[0]!, s.mapping) : headerOf(duplicate, s.mapping);
      fail(row.line, column, `Duplicate of line ${earlierLine.get(duplicate)} (${what})`);
      continue;
    }
    const remember = (k: string) => {
      earlierLine.set(k, row.line);
      usedKeys.push({ key: k, line: row.line });
    };
    if (ids.size > 1) {
      // The file's keys point at different contacts: nothing to choose between under skip;
      // otherwise writing to one would be a guess, so the row waits for a merge.
      if (s.policy === 'skip') {
        skipped++;
        [...keys, ...contactKeys].forEach(remember);
      } else {
        fail(row.line, headerOf(keys[0]!, s.mapping), `Matches ${ids.size} different contacts; merge them first`);
      }
      continue;
    }
    [...keys, ...contactKeys].forEach(remember);
    const [existing] = ids;
    if (!existing) creates.push({ row, id: randomUUID() });
    else if (s.policy === 'skip') skipped++;
    else updates.push({ row, id: existing });
  }

  t = lap('keys', t);
  await insertErrors(tx, s.workspaceId, s.importId, errors);
  await insertRowKeys(tx, s.workspaceId, s.importId, usedKeys);

  t = lap('errors+keys', t);
  await bulk.insertContacts(tx, s.workspaceId, creates.map(({ row, id }) => ({ id, columns: row.columns, custom: row.custom })));
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
  // and under fill_empty only when the contact had no tag at all. Through the contacts domain's
  // set-based addTagsToContacts (single-choice groups, its event), one call per tag.
  const created = new Set(creates.map((c) => c.id));
  const untagged = s.policy === 'fill_empty' ? new Set(await bulk.untaggedContacts(tx, s.workspaceId, updates.map((u) => u.id))) : undefined;
  const tagged = s.policy === 'skip' ? creates : [...creates, ...updates].filter(({ id }) => !untagged || created.has(id) || untagged.has(id));
  const tagIds = await bulk.resolveTags(tx, s.workspaceId, tagged.flatMap(({ row }) => row.tags));
  const contactsByTag = new Map<string, string[]>();
  for (const { row, id } of tagged) {
    for (const tagId of new Set([...s.tagIds, ...row.tags.map((n) => tagIds.get(n.toLowerCase())!)])) {
      contactsByTag.set(tagId, [...(contactsByTag.get(tagId) ?? []), id]);
    }
  }
  for (const [tagId, contactIds] of contactsByTag) {
    await addTagsToContacts(tx, s.workspaceId, { contactIds }, [tagId], 'import', s.importId, s.createdBy);
  }
  const gotTag = await bulk.taggedBy(tx, s.workspaceId, s.importId, updates.map((u) => u.id));

  t = lap('tags', t);
  for (const id of [...gotIdentity, ...gotTag]) if (!created.has(id)) changed.add(id);
  const lineOf = new Map([...creates, ...updates].map(({ row, id }) => [id, row.line]));
  await recordTimelineEvents(tx, s.workspaceId, [
    ...creates.map(({ row, id }) => ({ contactId: id, type: 'imported', actorMemberId: s.createdBy, props: { importId: s.importId, line: row.line, action: 'created' } })),
    ...[...changed].map((id) => ({ contactId: id, type: 'imported', actorMemberId: s.createdBy, props: { importId: s.importId, line: lineOf.get(id), action: 'updated' } })),
  ]);

  lap('timeline', t);
  return {
    created: creates.length,
    updated: changed.size,
    skipped: skipped + updates.length - changed.size,
    failed: failedLines.size,
  };
}
