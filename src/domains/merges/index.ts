export { mergeRoutes } from './routes.js';
export { mergeContacts, undoMerge, listMerges } from './merges.js';
