// What a segment builder can offer: every condition kind, the fields with their value kind and
// operators, the workspace's custom fields, the event types and what their counts and windows
// take. Built from the same tables the schema validates with, so the two cannot disagree.
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { channelTypes, listFieldDefinitions } from '../contacts/index.js';
import { contactFields, genders, opsByKind, propOps, rfmLayers, type ValueKind } from './definition.js';

const customKind: Record<string, ValueKind> = {
  text: 'text', long_text: 'text', url: 'text', number: 'number', money: 'number', date: 'date',
  boolean: 'boolean', single_select: 'select', multi_select: 'multi',
};

/** Timeline entry types people and integrations record, and those the system derives. */
export const eventTypes = [
  'order', 'message', 'email', 'call', 'visit', 'meeting', 'note', 'form_submission', 'code_scan',
  'created', 'imported', 'stage_changed', 'owner_changed', 'tags_added', 'tags_removed', 'merged', 'restored',
] as const;

export async function catalogue(db: Db, actor: Actor) {
  requireAccess(actor, 'segments:read');
  const custom = await listFieldDefinitions(db, actor.workspaceId);
  return {
    valueKinds: Object.fromEntries(Object.entries(opsByKind).map(([kind, ops]) => [kind, [...ops]])),
    fields: Object.entries(contactFields).map(([field, kind]) => ({
      field,
      kind,
      ops: [...opsByKind[kind]],
      ...(field === 'gender' ? { values: [...genders] } : field === 'preferred_channel' ? { values: [...channelTypes] } : {}),
    })),
    customFields: custom.map((f) => ({ key: f.key, label: f.label, type: f.type, kind: customKind[f.type]!, ops: [...opsByKind[customKind[f.type]!]], options: f.options })),
    conditions: [
      { kind: 'field', shape: '{ field, op, value }' },
      { kind: 'custom', shape: '{ key, op, value }' },
      { kind: 'tags', ops: ['any', 'all', 'none'], shape: '{ op, tagIds }' },
      { kind: 'stage', ops: ['in', 'not_in', 'empty', 'not_empty'], shape: '{ op, stageIds? }' },
      { kind: 'owner', ops: ['in', 'not_in'], shape: "{ op, memberIds } ('none' = no owner)" },
      { kind: 'team', ops: ['in', 'not_in'], shape: '{ op, teamIds } (the owner is in the team or a team below it)' },
      { kind: 'source_channel', ops: ['in', 'not_in', 'empty', 'not_empty'], shape: '{ op, values? }' },
      { kind: 'source_code', ops: ['in', 'not_in', 'empty', 'not_empty'], shape: '{ op, codeIds? }' },
      { kind: 'consent', ops: ['is', 'is_not'], shape: '{ channelType, op, status: opt_in | opt_out | unknown }' },
      { kind: 'identity', ops: ['has', 'lacks'], shape: '{ op, channelTypes }' },
      { kind: 'rfm_score', ops: ['eq', 'neq', 'gte', 'lte', 'between', 'in', 'empty', 'not_empty'], shape: '{ score: r | f | m, op, value }' },
      { kind: 'rfm_layer', ops: ['in', 'not_in', 'empty', 'not_empty'], shape: '{ op, layers? }', values: [...rfmLayers] },
      {
        kind: 'event',
        shape: '{ type, where?: [{ path, op, value }], count: { op, n }, window }',
        countOps: ['at_least', 'at_most', 'exactly'],
        windows: ['ever', 'last_days', 'between'],
        propOps: [...propOps],
        types: [...eventTypes],
        note: 'never = { op: exactly, n: 0 }',
      },
    ],
    channelTypes: [...channelTypes],
    groups: { ops: ['and', 'or'], note: 'groups nest; an empty and-group matches everyone' },
  };
}
