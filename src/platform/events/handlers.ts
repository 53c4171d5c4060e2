// Event handlers. The dispatcher hands each handler its events in batches: one job
// (`event:<name>`) per handler, workspace and dispatch batch, run in one transaction, so the
// handler's writes and the job's completion commit together: delivery is at least once, the
// database effect exactly once. Batches are what keep a busy inbox moving: a job costs a claim, a
// lock and a commit whatever it carries, and every inbound message wakes several handlers.
// A batch that fails is split on its retry into one job per event, so one event that cannot be
// handled neither holds back the others nor takes them to the dead letters with it.
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Tx } from '../db/transaction.js';
import { defineJob, type AnyJobDefinition, type JobDefinition, type QueueName } from '../queue/define.js';
import { enqueueMany } from '../queue/enqueue.js';
import type { DomainEvent, EventType } from './event.js';

export interface HandlerContext {
  tx: Tx;
  logger: Logger;
  /** 1 on first delivery. */
  attempt: number;
}

interface HandlerBase {
  name: string;
  events: readonly EventType[];
  queue?: QueueName;
  maxAttempts?: number;
}

/**
 * A handler takes its events one by one (`handle`), or a delivery's whole batch at once
 * (`handleBatch`, in outbox order) when it can do the work of many events in one set-based pass.
 */
export type EventHandler = HandlerBase &
  ({ handle(ctx: HandlerContext, event: DomainEvent): Promise<void>; handleBatch?: never } | { handleBatch(ctx: HandlerContext, events: readonly DomainEvent[]): Promise<void>; handle?: never });

export interface HandlerRegistry {
  /** The delivery jobs of the handlers subscribed to `type`. */
  jobsFor(type: string): readonly AnyJobDefinition[];
  /** One job definition per handler, for the worker's job registry. */
  jobs: readonly AnyJobDefinition[];
}

const HANDLER_NAME = /^[a-z][a-z0-9_.-]*$/;

export function defineHandler(handler: EventHandler): EventHandler {
  if (!HANDLER_NAME.test(handler.name)) throw new Error(`Handler name must be lower-case words: ${handler.name}`);
  return handler;
}

export const handlerJobName = (handler: Pick<EventHandler, 'name'>) => `event:${handler.name}`;

const deliveredEvent = z.object({ id: z.number().int(), type: z.string(), payload: z.record(z.string(), z.unknown()), occurredAt: z.string() });
export type DeliveredEvent = z.infer<typeof deliveredEvent>;

export const eventJobPayload = z.preprocess(
  // A job queued before batches carried one event at its top level: read it as a batch of one.
  (p) => (p && typeof p === 'object' && 'eventId' in p && !('events' in p) ? upgradeSingle(p as Record<string, unknown>) : p),
  z.object({ workspaceId: z.uuid(), events: z.array(deliveredEvent).min(1) }),
);
type EventJobPayload = z.infer<typeof eventJobPayload>;

function upgradeSingle({ workspaceId, eventId, type, payload, occurredAt }: Record<string, unknown>) {
  return { workspaceId, events: [{ id: eventId, type, payload, occurredAt }] };
}

/** The dedupe key of a delivery: a dispatched batch by its first and last event, a split-off event by its own. */
export const deliveryKey = (jobName: string, events: readonly Pick<DeliveredEvent, 'id'>[]) =>
  events.length === 1 ? `${jobName}:${events[0]!.id}` : `${jobName}:${events[0]!.id}..${events.at(-1)!.id}`;

/** Hands `events` to the handler: all at once, or one by one with each one's id in the log. */
export async function handleEvents(handler: EventHandler, ctx: HandlerContext, events: readonly DomainEvent[]) {
  if (handler.handleBatch) return handler.handleBatch(ctx, events);
  for (const event of events) await handler.handle({ ...ctx, logger: ctx.logger.child({ eventId: event.id, event: event.type }) }, event);
}

function handlerJob(handler: EventHandler): AnyJobDefinition {
  const job: JobDefinition<typeof eventJobPayload> = defineJob({
    name: handlerJobName(handler),
    queue: handler.queue ?? 'within-5s',
    payload: eventJobPayload,
    maxAttempts: handler.maxAttempts ?? 10,
    transactional: true,
    handler: async (ctx, { workspaceId, events }: EventJobPayload) => {
      if (events.length > 1 && ctx.job.attempt > 1) {
        await enqueueMany(ctx.db, job, events.map((e) => ({ payload: { workspaceId, events: [e] }, dedupeKey: deliveryKey(job.name, [e]) })));
        ctx.logger.warn({ events: events.length }, 'event batch failed; split into one delivery per event');
        return { split: events.length };
      }
      const delivered = events.map((e): DomainEvent => ({ id: e.id, workspaceId, type: e.type as EventType, payload: e.payload, occurredAt: e.occurredAt }));
      await handleEvents(handler, { tx: ctx.db as Tx, logger: ctx.logger, attempt: ctx.job.attempt }, delivered);
      return { events: events.length };
    },
  });
  return job;
}

export function createHandlerRegistry(handlers: readonly EventHandler[]): HandlerRegistry {
  const byType = new Map<string, AnyJobDefinition[]>();
  const jobs: AnyJobDefinition[] = [];
  for (const handler of handlers) {
    if (jobs.some((j) => j.name === handlerJobName(handler))) throw new Error(`Event handler ${handler.name} is defined twice`);
    const job = handlerJob(handler);
    jobs.push(job);
    for (const type of new Set(handler.events)) byType.set(type, [...(byType.get(type) ?? []), job]);
  }
  return { jobsFor: (type) => byType.get(type) ?? [], jobs };
}
