// The timeline domain's public surface: a contact's timeline, tasks and notifications.
export { timelineRoutes } from './routes.js';
export { recordTimelineEvents, recordTimelineEventSet, listTimeline, type NewTimelineEvent, type TimelineEvent, type TimelineEventSet } from './timeline.js';
export { timelineHandler } from './on-events.js';
export { mentionsHandler } from './on-mentions.js';
export { taskRoutes } from './tasks-routes.js';
export { notificationRoutes } from './notifications-routes.js';
export { listTasks, createTask, updateTask, deleteTask, type Task } from './tasks.js';
export { deliverDueReminders, notifyMembers, startReminderSweep } from './notifications.js';
