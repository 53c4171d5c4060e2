export { importRoutes } from './routes.js';
export { importContactsJob, runImport, type ImportSummary } from './job.js';
export { uploadImport, previewImport, startImport, getImport, listImports, importErrorsCsv, type ImportView } from './service.js';
export { importContactsFromFile } from './cli.js';
export { phaseTimes, resetPhaseTimes, importPhases, type ImportPhase } from './timing.js';
