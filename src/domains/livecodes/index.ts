// The live codes domain's public surface: its API routes, the short link's public page and the
// attribution handler, and the welcome a code gives its arrivals (for the automatic replies).
export { liveCodeRoutes } from './routes.js';
export { liveCodePageRoutes } from './public-page.js';
export { livecodesHandler } from './on-events.js';
export { arrivalWelcome, type ArrivalWelcome } from './welcome.js';
