// The autotag domain's public surface: the routes, the event handler and the background jobs.
export { tagRuleRoutes } from './routes.js';
export { autotagHandler } from './on-events.js';
export { ruleBackfillJob, ruleBuildJob, ruleRefreshJob } from './jobs.js';
