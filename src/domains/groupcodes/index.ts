// The group codes domain's public surface: its API routes, the short link's public page and the
// handler counting joins and leaves.
export { groupCodeRoutes } from './routes.js';
export { groupCodePageRoutes } from './public-page.js';
export { groupcodesHandler } from './on-events.js';
