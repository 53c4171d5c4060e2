// Event handlers. Each one is delivered through its own job (`event:<name>`), transactional, so
// the handler's writes and the job's completion commit together: delivery is at least once, the
// database effect exactly once.
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Tx } from '../db/transaction.js';
import { defineJob, type AnyJobDefinition, type QueueName } from '../queue/define.js';
import type { DomainEvent, EventType } from './event.js';

export interface HandlerContext {
  tx: Tx;
  logger: Logger;
  /** 1 on first delivery. */
  attempt: number;
}

export interface EventHandler {
  name: string;
  events: readonly EventType[];
  queue?: QueueName;
  maxAttempts?: number;
  handle(ctx: HandlerContext, event: DomainEvent): Promise<void>;
}

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

export const eventJobPayload = z.object({
  workspaceId: z.uuid(),
  eventId: z.number().int(),
  type: z.string(),
  payload: z.record(z.string(), z.unknown()),
  occurredAt: z.string(),
});

function handlerJob(handler: EventHandler): AnyJobDefinition {
  return defineJob({
    name: handlerJobName(handler),
    queue: handler.queue ?? 'within-5s',
    payload: eventJobPayload,
    maxAttempts: handler.maxAttempts ?? 10,
    transactional: true,
    handler: async (ctx, p) => {
      const event: DomainEvent = { id: p.eventId, workspaceId: p.workspaceId, type: p.type as EventType, payload: p.payload, occurredAt: p.occurredAt };
      await handler.handle({ tx: ctx.db as Tx, logger: ctx.logger.child({ eventId: event.id, event: event.type }), attempt: ctx.job.attempt }, event);
    },
  });
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
