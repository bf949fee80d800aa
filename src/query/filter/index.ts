/** The filter matcher's public API. */
export { compileFilter, compileFilterNode, isTruthy } from './compile-filter.js';
export type { Matcher, MatchDetails } from './compile-filter.js';
export { parseFilter } from './parse-filter.js';
export type { FilterNode } from './filter-node.js';
export * from './filter-node.js';
export { banAllSpecialFeatures } from './filter-options.js';
export type { AllowedFeatures, CompileExpression, FilterOptions } from './filter-options.js';
export { parseJsonSchema } from './json-schema.js';
