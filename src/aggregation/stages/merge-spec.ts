/**
 * Parsing $merge (DocumentSourceMergeSpec and DocumentSourceMerge::create): the target,
 * the `on` fields and their unique index, the modes and their allowed combinations, and the
 * whenMatched pipeline with its `let` variables (default {new: "$$ROOT"}).
 */
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { typeNameOf } from '../../query/describe.js';
import { validateNameForUserWrite } from '../expressions/variable-names.js';
import type { BoundExpression } from '../pipeline-compiler.js';
import type { ParseContext, StageDefinition } from '../pipeline-context.js';
import { compileUpdatePipeline } from '../pipeline-update.js';
import { MergeDefinition } from './merge.js';
import { checkSpecFields } from './spec-fields.js';

export type WhenMatchedMode = 'replace' | 'keepExisting' | 'merge' | 'fail';
export type WhenNotMatchedMode = 'insert' | 'discard' | 'fail';

/** The whenMatched pipeline: `existing` transformed with $$new (and `let`) bound to `doc`. */
export interface MergePipeline {
  apply(existing: BsonDocument, doc: BsonDocument): BsonDocument;
}

export interface MergeSpec {
  readonly namespace: string;
  readonly on: readonly string[];
  readonly whenMatched: WhenMatchedMode | MergePipeline;
  readonly whenNotMatched: WhenNotMatchedMode;
}

const internalDatabases = new Set(['admin', 'local', 'config']);
const whenMatchedModes: readonly string[] = ['replace', 'keepExisting', 'merge', 'fail'];
const whenNotMatchedModes: readonly string[] = ['insert', 'discard', 'fail'];

/** The combinations the server supports (its descriptor table). */
const supported = new Set([
  'replace/insert',
  'replace/fail',
  'replace/discard',
  'merge/insert',
  'merge/fail',
  'merge/discard',
  'keepExisting/insert',
  'fail/insert',
  'pipeline/insert',
  'pipeline/fail',
  'pipeline/discard',
]);

function targetOf(value: BsonValue, database: string): { database: string; collection: string } {
  if (typeof value === 'string') return { database, collection: value };
  if (!isDocument(value)) {
    throw new MongoError(
      51178,
      `$merge 'into' field  must be either a string or an object, but found ${typeNameOf(value)}`,
    );
  }
  checkSpecFields('$merge.into', value, ['db', 'coll']);
  const db = value.db ?? database;
  const coll = value.coll ?? '';
  if (typeof db !== 'string' || typeof coll !== 'string') {
    throw new MongoError('TypeMismatch', "$merge 'into' db and coll must be strings");
  }
  return { database: db, collection: coll };
}

function onFields(value: BsonValue | undefined): string[] {
  if (value === undefined) return ['_id'];
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) {
    throw new MongoError(
      51186,
      `$merge 'on' field  must be either a string or an array of strings, but found ${typeNameOf(value)}`,
    );
  }
  if (value.length === 0)
    throw new MongoError(
      51187,
      "If explicitly specifying $merge 'on', must include at least one field",
    );
  const fields = value.map((field) => {
    if (typeof field !== 'string')
      throw new MongoError(
        51134,
        `$merge 'on' array elements must be strings, but found ${typeNameOf(field)}`,
      );
    return field;
  });
  const seen = new Set<string>();
  for (const field of fields) {
    if (seen.has(field)) throw new MongoError(31465, `Found a duplicate field '${field}'`);
    seen.add(field);
  }
  return fields;
}

/** Whether the target can guarantee `on` is unique: its unique index, or _id when it does not exist. */
function checkUniqueIndex(context: ParseContext, namespace: string, on: readonly string[]): void {
  const entry = context.environment.storage?.collection(namespace);
  const fields = new Set(on);
  const supported =
    entry === undefined
      ? on.length === 1 && on[0] === '_id'
      : entry.indexes.some(
          (index) =>
            index.unique &&
            index.spec.partialFilterExpression === undefined &&
            index.fields.length === fields.size &&
            index.fields.every((field) => fields.has(field.path)),
        );
  if (!supported)
    throw new MongoError(51183, 'Cannot find index to verify that join fields will be unique');
}

function compilePipeline(
  pipeline: BsonValue[],
  letSpec: BsonDocument | undefined,
  context: ParseContext,
): MergePipeline {
  const variables = letSpec ?? { new: '$$ROOT' };
  const names = Object.keys(variables);
  for (const name of names) validateNameForUserWrite(name);
  const expressions: [string, BoundExpression][] = names.map((name) => [
    name,
    context.compiler.expression(variables[name]),
  ]);
  const inner = context.compiler.child(names);
  const transform = compileUpdatePipeline(pipeline, inner);
  return {
    apply(existing, doc) {
      const values = expressions.map(([name, expression]) => [name, expression(doc)] as const);
      inner.inherit();
      for (const [name, value] of values) inner.variables.set(name, value);
      return transform(existing);
    },
  };
}

function whenMatchedOf(value: BsonValue | undefined): WhenMatchedMode | BsonValue[] {
  if (value === undefined) return 'merge';
  if (Array.isArray(value)) return value;
  if (typeof value !== 'string') {
    throw new MongoError(
      51191,
      `$merge 'whenMatched' field  must be either a string or an array, but found ${typeNameOf(value)}`,
    );
  }
  if (!whenMatchedModes.includes(value)) {
    throw new MongoError(
      'BadValue',
      `Enumeration value '${value}' for field '$merge.whenMatched' is not a valid value.`,
    );
  }
  return value as WhenMatchedMode;
}

function whenNotMatchedOf(value: BsonValue | undefined): WhenNotMatchedMode {
  if (value === undefined) return 'insert';
  if (typeof value !== 'string') {
    throw new MongoError(
      'TypeMismatch',
      `BSON field '$merge.whenNotMatched' is the wrong type '${typeNameOf(value)}', expected type 'string'`,
    );
  }
  if (!whenNotMatchedModes.includes(value)) {
    throw new MongoError(
      'BadValue',
      `Enumeration value '${value}' for field '$merge.whenNotMatched' is not a valid value.`,
    );
  }
  return value as WhenNotMatchedMode;
}

export function parseMerge(spec: BsonValue, context: ParseContext): StageDefinition {
  if (typeof spec !== 'string' && !isDocument(spec)) {
    throw new MongoError(
      51182,
      `$merge only supports a string or object argument, not ${typeNameOf(spec)}`,
    );
  }
  const object: BsonDocument = typeof spec === 'string' ? { into: spec } : spec;
  checkSpecFields(
    '$merge',
    object,
    ['into', 'on', 'let', 'whenMatched', 'whenNotMatched'],
    ['into'],
  );
  const { database, collection } = targetOf(object.into, context.environment.database);
  let namespace: string;
  try {
    namespace = context.environment.writes.validateNamespace(database, collection);
  } catch (error) {
    if (!(error instanceof MongoError)) throw error;
    throw new MongoError(
      'InvalidNamespace',
      `Invalid $merge target namespace: '${database}.${collection}'`,
    );
  }
  if (collection.startsWith('system.'))
    throw new MongoError(
      'InvalidNamespace',
      `Cannot $merge into special collection: ${collection}`,
    );
  if (internalDatabases.has(database))
    throw new MongoError(31320, `Cannot $merge to internal database: ${database}`);
  const whenMatched = whenMatchedOf(object.whenMatched);
  const whenNotMatched = whenNotMatchedOf(object.whenNotMatched);
  const letSpec = object.let;
  if (letSpec !== undefined && letSpec !== null && !isDocument(letSpec)) {
    throw new MongoError(
      'TypeMismatch',
      `BSON field '$merge.let' is the wrong type '${typeNameOf(letSpec)}', expected type 'object'`,
    );
  }
  const modeName = Array.isArray(whenMatched) ? 'pipeline' : whenMatched;
  if (!Array.isArray(whenMatched) && letSpec !== undefined) {
    throw new MongoError(
      51199,
      `Cannot use 'let' variables with 'whenMatched: ${whenMatched}' mode`,
    );
  }
  if (!supported.has(`${modeName}/${whenNotMatched}`)) {
    throw new MongoError(
      51181,
      `Combination of $merge modes 'whenMatched: ${modeName}' and 'whenNotMatched: ${whenNotMatched}' is not supported`,
    );
  }
  const on = onFields(object.on);
  checkUniqueIndex(context, namespace, on);
  const matched = Array.isArray(whenMatched)
    ? compilePipeline(whenMatched, isDocument(letSpec) ? letSpec : undefined, context)
    : whenMatched;
  return new MergeDefinition(
    spec,
    { namespace, on, whenMatched: matched, whenNotMatched },
    context.environment,
  );
}
