// The segments domain's public surface: routes, the background work, and the definition language
// with its compiler (auto-tag rules reuse them for "a condition becomes true / false").
export { segmentRoutes } from './routes.js';
export { segmentsHandler } from './on-events.js';
export { segmentBuildJob, segmentRefreshJob } from './jobs.js';
export {
  definitionSchema, conditionSchema, dependenciesOf, conditionsOf, opsByKind, contactFields,
  type Definition, type Condition, type DefinitionNode, type Group, type ValueKind,
} from './definition.js';
export { compileDefinition, type CompileContext, type CompiledDefinition } from './queries/compile.js';
export { checkDefinition, previewCount, type Segment } from './segments.js';
