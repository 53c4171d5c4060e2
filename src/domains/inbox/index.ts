// The inbox domain's public surface: its routes (API and provider webhooks) and its background
// jobs. Other domains react to its events (events.ts), not to its internals.
export { conversationRoutes } from './conversations-routes.js';
export { messageRoutes } from './messages-routes.js';
export { hookRoutes } from './hooks-routes.js';
export { inboxJobs } from './deps.js';
export { inboxEvents } from './events.js';
