export { emit } from './emit.js';
export { EVENT_TYPE } from './event.js';
export type { DomainEvent, EventType } from './event.js';
export { createHandlerRegistry, defineHandler, handleEvents, handlerJobName } from './handlers.js';
export type { EventHandler, HandlerContext, HandlerRegistry } from './handlers.js';
export { dispatchPending } from './dispatch.js';
export { startBackground } from './background.js';
export type { Background, BackgroundOptions } from './background.js';
