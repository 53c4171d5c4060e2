// What each valid row of a batch becomes — a new contact, an update of the contact it matched, a
// skip, or a per-row error (a duplicate of an earlier line, a key of a deleted contact, keys of
// several contacts) — from the batch's key matches (queries/contacts-bulk.ts matchKeys) and the
// keys the rows of the batch before it used while that batch may not have committed yet. Pure.
import { timeOrderedId } from './ids.js';
import type { Mapping } from './mapping.js';
import type { NormalisedRow, RowError } from './normalise-row.js';
import type { KeyMatch } from './queries/contacts-bulk.js';
import type { DedupePolicy } from './tables.js';

export interface Decision {
  errors: Array<RowError & { line: number }>;
  failedLines: Set<number>;
  creates: Array<{ row: NormalisedRow; id: string }>;
  updates: Array<{ row: NormalisedRow; id: string }>;
  skipped: number;
  /** Keys of rows that matched existing contacts, remembered for later batches (import_row_keys). */
  usedKeys: Array<{ key: string; line: number }>;
  /** Every key (and contact:<id>) a row of this batch used, with its line: what the next batch must treat as earlier rows. */
  used: Map<string, number>;
}

const KEY_NAMES: Record<string, string> = { phone: 'phone', email: 'e-mail', identity: 'identity' };

/** The header a key came from (for the error report's column). */
function headerOf(key: string, mapping: Mapping): string {
  const target = key.startsWith('identity:') ? `identity.${key.split(':')[1]}` : key.split(':')[0]!;
  return Object.keys(mapping).find((h) => mapping[h] === target) ?? '';
}

/**
 * `rows` come with their keys (rowKeys, strongest first); `earlierBatch` is `used` of the batch
 * before, when it ran in a transaction of its own beside this one (its rows are then invisible to
 * this batch's matches, yet earlier in the file).
 */
export function decide(
  rows: ReadonlyArray<{ row: NormalisedRow; keys: readonly string[] }>,
  matches: readonly KeyMatch[],
  earlierBatch: ReadonlyMap<string, number> | undefined,
  s: { mapping: Mapping; policy: DedupePolicy },
): Decision {
  const d: Decision = { errors: [], failedLines: new Set(), creates: [], updates: [], skipped: 0, usedKeys: [], used: new Map() };
  const fail = (line: number, column: string, reason: string) => {
    d.errors.push({ line, column, reason });
    d.failedLines.add(line);
  };
  // Keys (and contact:<id>) of rows of earlier batches that matched existing contacts → their
  // line; contacts earlier batches created → their line; holders of the batch's keys.
  const remembered = new Map<string, number>();
  const createdLine = new Map<string, number>();
  const holders = new Map<string, Array<{ id: string; live: boolean }>>();
  for (const m of matches) {
    if (m.kind === 'file') remembered.set(m.key, m.line!);
    else if (m.kind === 'created') createdLine.set(m.contact_id!, m.line!);
    else {
      const list = holders.get(m.key);
      if (list) list.push({ id: m.contact_id!, live: m.live });
      else holders.set(m.key, [{ id: m.contact_id!, live: m.live }]);
    }
  }
  // The line that used a key earlier: a row of this batch, of the batch before, or remembered.
  const earlierLine = (key: string) => d.used.get(key) ?? earlierBatch?.get(key) ?? remembered.get(key);

  for (const { row, keys } of rows) {
    const ids = new Set<string>();
    let refused = false;
    for (const key of keys) {
      const list = holders.get(key);
      if (!list) continue;
      for (const h of list) {
        if (!h.live) {
          fail(row.line, headerOf(key, s.mapping), `${key.split(':').slice(2).join(':')} belongs to a deleted contact; restore it first`);
          refused = true;
        }
        ids.add(h.id);
      }
    }
    if (refused) continue;
    const contactKeys = ids.size ? [...ids].map((id) => `contact:${id}`) : [];
    // The first key an earlier row used, or held by a contact an earlier batch created (that row
    // had the key); then the matched contacts.
    let duplicate: { key: string; line: number } | undefined;
    for (const key of keys) {
      const line = earlierLine(key) ?? holders.get(key)?.map((h) => createdLine.get(h.id)).find((l) => l !== undefined);
      if (line !== undefined) {
        duplicate = { key, line };
        break;
      }
    }
    if (!duplicate) {
      for (const key of contactKeys) {
        const line = earlierLine(key);
        if (line !== undefined) {
          duplicate = { key, line };
          break;
        }
      }
    }
    if (duplicate) {
      const what = duplicate.key.startsWith('contact:') ? 'the same existing contact' : `the same ${KEY_NAMES[duplicate.key.split(':')[0]!]}`;
      const column = duplicate.key.startsWith('contact:') ? headerOf(keys[0]!, s.mapping) : headerOf(duplicate.key, s.mapping);
      fail(row.line, column, `Duplicate of line ${duplicate.line} (${what})`);
      continue;
    }
    // Only rows that matched existing contacts are remembered across batches (persist): a
    // contact this import created holds the row's keys itself, and import_contacts names its line.
    const remember = (persist: boolean) => {
      for (const list of [keys, contactKeys]) {
        for (const k of list) {
          d.used.set(k, row.line);
          if (persist) d.usedKeys.push({ key: k, line: row.line });
        }
      }
    };
    if (ids.size > 1) {
      // The file's keys point at different contacts: nothing to choose between under skip;
      // otherwise writing to one would be a guess, so the row waits for a merge.
      if (s.policy === 'skip') {
        d.skipped++;
        remember(true);
      } else {
        fail(row.line, headerOf(keys[0]!, s.mapping), `Matches ${ids.size} different contacts; merge them first`);
      }
      continue;
    }
    const [existing] = ids;
    remember(existing !== undefined);
    if (!existing) d.creates.push({ row, id: timeOrderedId() });
    else if (s.policy === 'skip') d.skipped++;
    else d.updates.push({ row, id: existing });
  }
  return d;
}
