// Reading RFM: the distribution the console charts, customer lists by layer or score, and one
// contact's values with their latest layer moves. Everything within the caller's data scope.
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { invalid } from '../../platform/http/errors.js';
import { decodeCursor, toPage } from '../../platform/http/pagination.js';
import { requireVisibleContact, visibleContact } from '../contacts/index.js';
import { layerName, layers, type Layer } from './layers.js';
import { customers, distribution } from './queries/distribution.js';
import type { CustomersQuery } from './schema.js';
import { fromRow } from './settings.js';
import * as store from './store.js';

const scores = [1, 2, 3, 4, 5] as const;
// grouping() bits: layer 8, r 4, f 2, m 1 (a set bit: that column is aggregated away).
const SET = { layer: 0b0111, r: 0b1011, f: 0b1101, m: 0b1110, rf: 0b1001, total: 0b1111 } as const;

export async function getDistribution(db: Db, actor: Actor) {
  requireAccess(actor, 'rfm:read');
  const settings = fromRow(await store.findSettings(db, actor.workspaceId));
  // Data scope all sees every live contact (visibleContact is then "not deleted"): the fast path.
  const rows = await distribution(db, actor.workspaceId, actor.scope === 'all' ? 'all-live' : visibleContact(actor, 'c'));
  const count = (g: number, match: (r: (typeof rows)[number]) => boolean) => rows.find((r) => r.g === g && match(r))?.n ?? 0;
  const perScore = (key: 'r' | 'f' | 'm') => scores.map((score) => ({ score, count: count(SET[key], (r) => r[key] === score) }));
  return {
    customers: count(SET.total, () => true),
    layers: layers.map((layer) => ({ layer, name: layerName(settings.layerNames, layer), count: count(SET.layer, (r) => r.layer === layer) })),
    r: perScore('r'),
    f: perScore('f'),
    m: perScore('m'),
    rf: scores.flatMap((r) => scores.map((f) => ({ r, f, count: count(SET.rf, (x) => x.r === r && x.f === f) }))),
    computedAt: settings.computedAt,
  };
}

const values = (names: Partial<Record<Layer, string>>, r: { recency_days: number | null; frequency: number; monetary: string; r_score: number; f_score: number; m_score: number; layer: Layer; computed_at: Date }) => ({
  recencyDays: r.recency_days,
  frequency: r.frequency,
  monetary: Number(r.monetary),
  r: r.r_score,
  f: r.f_score,
  m: r.m_score,
  layer: r.layer,
  layerName: layerName(names, r.layer),
  computedAt: r.computed_at,
});

export async function listCustomers(db: Db, actor: Actor, q: CustomersQuery) {
  requireAccess(actor, 'rfm:read');
  let after: { monetary: string; contactId: string } | undefined;
  if (q.cursor) {
    const [monetary, contactId] = decodeCursor(q.cursor, 2);
    if (!/^\d+(\.\d+)?$/.test(String(monetary)) || !/^[0-9a-f-]{36}$/i.test(String(contactId))) throw invalid([{ path: 'cursor', message: 'Invalid cursor' }]);
    after = { monetary: String(monetary), contactId: String(contactId) };
  }
  const { layerNames } = fromRow(await store.findSettings(db, actor.workspaceId));
  const rows = await customers(db, actor.workspaceId, visibleContact(actor, 'c'), { layer: q.layer, r: q.r, f: q.f, m: q.m, after, limit: q.limit });
  return toPage(rows, q.limit, (r) => [r.monetary, r.contact_id], (r) => ({ contact: { id: r.contact_id, name: r.name }, ...values(layerNames, r) }));
}

const HISTORY = 20;

export async function getContactRfm(db: Db, actor: Actor, contactId: string) {
  requireAccess(actor, 'rfm:read');
  await requireVisibleContact(db, actor, contactId);
  const [row, changes, settings] = await Promise.all([
    store.findContactRfm(db, actor.workspaceId, contactId),
    store.contactChanges(db, actor.workspaceId, contactId, HISTORY),
    store.findSettings(db, actor.workspaceId),
  ]);
  const { layerNames } = fromRow(settings);
  return {
    contactId,
    rfm: row ? values(layerNames, row) : null,
    changes: changes.map((c) => ({ id: c.id, from: c.from_layer, to: c.to_layer, reason: c.reason, changedAt: c.changed_at })),
  };
}
