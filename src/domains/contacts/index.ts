// The contacts domain's public surface for other domains.
export { requireVisibleContact, visibleContact, visibleContactIds } from './access.js';
export { normaliseEmail, normalisePhone } from './normalize.js';
export { checkCustomValues, type FieldDefinition } from './custom-values.js';
export { tagRoutes } from './tags-routes.js';
export { addTagsToContacts, removeTagsFromContacts, insertContactTags, listTagGroups, type ContactSet, type Tag, type TagGroup } from './tags.js';
