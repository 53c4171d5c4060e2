// The live codes domain's public surface: its API routes, the short link's public page and the
// attribution handler.
export { liveCodeRoutes } from './routes.js';
export { liveCodePageRoutes } from './public-page.js';
export { livecodesHandler } from './on-events.js';
