// The timeline domain's public surface: a contact's timeline, tasks and notifications.
export { timelineRoutes } from './routes.js';
export { recordTimelineEvents, listTimeline, type NewTimelineEvent, type TimelineEvent } from './timeline.js';
export { timelineHandler } from './on-events.js';
