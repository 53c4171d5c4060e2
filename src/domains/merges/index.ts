export { mergeRoutes } from './routes.js';
export { attachIdentity, mergeContacts, undoMerge, listMerges } from './merges.js';
