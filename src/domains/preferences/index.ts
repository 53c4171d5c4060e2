// The preferences domain's public surface: a contact's interests and active hours (routes), the
// recompute job and its schedule, and the event handler that keeps them current.
export { preferenceRoutes } from './routes.js';
export { preferencesJob, startPreferencesSchedule, enqueueDailyPreferences } from './job.js';
export { preferencesHandler, updateContactPreferences } from './on-events.js';
