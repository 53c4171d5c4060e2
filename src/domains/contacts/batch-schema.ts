import { z } from 'zod';
import { contactFilterSchema } from './filter.js';

/** Explicit ids, or every result of a filter (evaluated when the work runs). */
export const batchTarget = z.union([z.strictObject({ ids: z.array(z.uuid()).min(1).max(10_000) }), z.strictObject({ filter: contactFilterSchema })]);
export type BatchTarget = z.infer<typeof batchTarget>;

const tagIds = z.array(z.uuid()).min(1).max(50);

export const batchBody = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('add_tags'), target: batchTarget, tagIds }),
  z.strictObject({ action: z.literal('remove_tags'), target: batchTarget, tagIds }),
  z.strictObject({ action: z.literal('set_stage'), target: batchTarget, stageId: z.uuid().nullable() }),
  z.strictObject({ action: z.literal('assign_owner'), target: batchTarget, ownerId: z.uuid().nullable() }),
  z.strictObject({ action: z.literal('delete'), target: batchTarget }),
  z.strictObject({ action: z.literal('restore'), target: z.strictObject({ ids: z.array(z.uuid()).min(1).max(10_000) }) }),
]);
export type BatchInput = z.infer<typeof batchBody>;
export type BatchAction = BatchInput['action'];
