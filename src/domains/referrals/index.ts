// The referrals domain's public surface: its API routes, the code's public link, the arrival
// handler, and the invite tree's writes that fission makes for its invites.
export { referralRoutes } from './routes.js';
export { referralPageRoutes } from './public-page.js';
export { referralsHandler } from './on-events.js';
export { recordEdge, setFissionEdgeStatus } from './tree.js';
