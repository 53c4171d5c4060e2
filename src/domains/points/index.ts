// The points domain's public surface: the ledger's credit and reversal (for rewards), balances, the API.
export { credit, reverse, balance, type Credit } from './service.js';
export { pointsRoutes } from './routes.js';
