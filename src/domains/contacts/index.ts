// The contacts domain's public surface for other domains.
export { requireVisibleContact, visibleContact, visibleContactIds } from './access.js';
export { normaliseEmail, normalisePhone } from './normalize.js';
export { checkCustomValues, type FieldDefinition } from './custom-values.js';
export { tagRoutes } from './tags-routes.js';
export { addTagsToContacts, addTagPairsToContacts, removeTagsFromContacts, insertContactTags, listTagGroups, type ContactSet, type Tag, type TagGroup } from './tags.js';
export { contactRoutes, identityBody, identitySchema } from './contacts-routes.js';
export { customFieldRoutes } from './custom-fields-routes.js';
export { stageRoutes } from './stages-routes.js';
export { viewRoutes } from './views-routes.js';
export { createContact, getContact, updateContact, deleteContact, restoreContact, withTags, RESTORE_DAYS, type Contact, type ContactInput, type IdentityInput } from './contacts.js';
export { searchContacts, countContacts, type ContactSearch } from './contacts-search.js';
export { addIdentity, removeIdentity } from './identities.js';
export { setConsent } from './consents.js';
export { compileContactFilter, contactFilterSql, contactFilterSchema, channelTypes, type ContactFilter, type CompileOptions } from './filter.js';
export { contactSortSchema, type ContactSort } from './contacts-sort.js';
export { listCustomFields, createCustomField, updateCustomField, deleteCustomField, orderCustomFields, type CustomField } from './custom-fields.js';
export { listStages, createStage, updateStage, deleteStage, orderStages, type Stage } from './stages.js';
export { seedContactDefaults, DEFAULT_STAGES } from './stages-store.js';
export { listViews, createView, updateView, deleteView, type SavedView } from './views.js';
export { batchRoutes } from './batch-routes.js';
export { batchJob, runBatch, setStageOfContacts, INLINE_LIMIT } from './batch.js';
export { exportRoutes } from './export-routes.js';
export { exportJob, startExport } from './export.js';
// For the segment compiler (src/domains/segments), which reads contacts the way the filter does.
export { customValueSql, escapeLike } from './filter.js';
export { contactTagsMatch } from './tag-sets.js';
export { listFieldDefinitions } from './custom-fields-store.js';
export { purgeExpiredContacts, startContactPurge } from './purge.js';
