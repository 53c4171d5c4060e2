// The fission domain's public surface: its API routes, the personal link's public pages, and the
// handler and job (bound to the config) that count invites and grant rewards; and its rule of who
// is new to the workspace (an arrival that created the contact), which referral codes share.
export { fissionRoutes } from './routes.js';
export { fissionPageRoutes } from './public-page.js';
export { fissionHandler } from './on-events.js';
export { rewardEngine } from './rewards.js';
