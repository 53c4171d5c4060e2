// The RFM domain's public surface: routes, the recompute job and its schedule, event handlers,
// and the layer vocabulary other domains (segments) read contact_rfm with.
export { rfmRoutes } from './routes.js';
export { rfmRecomputeJob, startRfmSchedule, enqueueDailyRfm } from './recompute-job.js';
export { rfmHandler, rfmTriggersHandler, updateContactsRfm } from './on-events.js';
export { layers, defaultLayerNames, layerOf, type Layer } from './layers.js';
