/** The public surface of src/query/update. */
export { compileUpdate } from './compile-update.js';
export { upsertSeed } from './upsert-seed.js';
export type {
  CompiledUpdate,
  CompileUpdateOptions,
  MatcherFactory,
  UpdateContext,
} from './types.js';
