// The autoreplies domain's public surface: its API routes, the survey's public page and the
// event handler (bound to the settings it needs).
export { autoreplyRoutes } from './routes.js';
export { csatPageRoutes } from './csat-page.js';
export { autorepliesHandler } from './on-events.js';
