// Deterministic, seeded test data for benchmarks (and later, imports and demos).
export { generatePeople, personAt, createdAtOf, DEFAULT_UNTIL, HISTORY_DAYS, type Person, type PeopleOptions, type Money, type CustomFieldValues } from './people.js';
export { generateEvents, eventsFor, eventTypes, MAX_EVENTS_PER_CONTACT, type TimelineEvent, type EventType, type EventData, type EventsOptions } from './events.js';
export { customFieldDefinitions, tagVocabulary, lifecycleStages, type Country, type LifecycleStage } from './vocabulary.js';
export { E164 } from './phones.js';
