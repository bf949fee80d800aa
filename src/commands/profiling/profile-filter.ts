/**
 * The profile command's `filter`: a query predicate over the profile document that
 * replaces slowms and sampleRate for choosing what to log and profile. As in mongod
 * (ProfileFilterImpl), a filter may only name fields a profile document can have, and an
 * error while matching means "no match", never a failed operation.
 */
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import type { FilterNode, Matcher } from '../../query/filter/index.js';
import { parseFilter } from '../../query/filter/index.js';

/** Top-level fields a filter may read (OpDebug::appendStaged in mongod 7.0). */
export const profileFilterFields: ReadonlySet<string> = new Set([
  'ts',
  'client',
  'appName',
  'allUsers',
  'user',
  'op',
  'ns',
  'command',
  'originatingCommand',
  'nShards',
  'cursorid',
  'mongot',
  'exhaust',
  'keysExamined',
  'docsExamined',
  'hasSortStage',
  'usedDisk',
  'fromMultiPlanner',
  'fromPlanCache',
  'replanned',
  'replanReason',
  'nMatched',
  'nModified',
  'ninserted',
  'ndeleted',
  'nUpserted',
  'cursorExhausted',
  'keysInserted',
  'keysDeleted',
  'prepareReadConflicts',
  'writeConflicts',
  'temporarilyUnavailableErrors',
  'dataThroughputLastSecond',
  'dataThroughputAverage',
  'numYield',
  'nreturned',
  'queryHash',
  'planCacheKey',
  'queryFramework',
  'locks',
  'authorization',
  'flowControl',
  'writeConcern',
  'storage',
  'ok',
  'errMsg',
  'errName',
  'errCode',
  'responseLength',
  'protocol',
  'remoteOpWaitMillis',
  'millis',
  'durationMillis',
  'planningTimeMicros',
  'cpuNanos',
  'planSummary',
  'execStats',
  'operationMetrics',
]);

export interface ProfileFilter {
  /** The filter as the profile command reports it, one predicate per $and entry. */
  readonly serialized: BsonDocument;
  /** False when matching throws, as mongod's filter fails silently at run time. */
  matches(entry: BsonDocument): boolean;
}

interface Dependencies {
  fields: Set<string>;
  wholeDocument: boolean;
}

function collectDependencies(node: FilterNode, out: Dependencies): void {
  switch (node.kind) {
    case 'and':
    case 'or':
    case 'nor':
      for (const child of node.children) collectDependencies(child, out);
      return;
    case 'not':
      collectDependencies(node.child, out);
      return;
    case 'expr':
    case 'jsonSchema':
      // Expressions can reach any field (even $$ROOT); mongod checks their paths too.
      out.wholeDocument = true;
      return;
    case 'sampleRate':
    case 'alwaysTrue':
    case 'alwaysFalse':
      return;
    default:
      // Paths under a value-form $elemMatch are empty: their field is the parent's.
      if (node.path !== '') out.fields.add(node.path.split('.')[0] as string);
  }
}

const listOperators = new Set(['$and', '$or', '$nor']);

/** One {path: {$op: value}} per operator, as MatchExpression::serialize writes leaves. */
function fieldPredicates(path: string, value: BsonValue): BsonDocument[] {
  if (!isDocument(value) || !Object.keys(value).every((key) => key.startsWith('$')))
    return [{ [path]: { $eq: value } }];
  const predicates: BsonDocument[] = [];
  for (const [operator, argument] of Object.entries(value)) {
    if (operator === '$options') continue;
    if (operator === '$regex' && value.$options !== undefined)
      predicates.push({ [path]: { $regex: argument, $options: value.$options } });
    else predicates.push({ [path]: { [operator]: argument } });
  }
  return predicates;
}

/**
 * The filter in mongod's serialized shape for the common cases: several predicates become
 * an $and, bare values an $eq. Expressions ($expr) are reported as written.
 */
export function serializeProfileFilter(filter: BsonDocument): BsonDocument {
  const predicates: BsonDocument[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (listOperators.has(key) && Array.isArray(value))
      predicates.push({
        [key]: value.map((child) => (isDocument(child) ? serializeProfileFilter(child) : child)),
      });
    else if (key.startsWith('$')) predicates.push({ [key]: value });
    else predicates.push(...fieldPredicates(key, value));
  }
  if (predicates.length === 0) return {};
  return predicates.length === 1 ? (predicates[0] as BsonDocument) : { $and: predicates };
}

/**
 * Checks and compiles a filter; `compile` builds the matcher with the caller's expression
 * scope. Naming a field no profile document has is error 4910200, as in mongod.
 */
export function compileProfileFilter(
  filter: BsonDocument,
  compile: (filter: BsonDocument) => Matcher,
): ProfileFilter {
  const dependencies: Dependencies = { fields: new Set(), wholeDocument: false };
  collectDependencies(parseFilter(filter), dependencies);
  const unknown = [...dependencies.fields].filter((field) => !profileFilterFields.has(field));
  if (unknown.length > 0) {
    throw new MongoError(
      4910200,
      `No such field (or fields) available for profile filter: ${unknown.sort().join(', ')}`,
    );
  }
  const matcher = compile(filter);
  // The log calls it durationMillis and the profiler millis; a filter may use either.
  const needsDuration = dependencies.wholeDocument || dependencies.fields.has('durationMillis');
  return {
    serialized: serializeProfileFilter(filter),
    matches(entry) {
      try {
        return matcher(needsDuration ? { ...entry, durationMillis: entry.millis } : entry);
      } catch {
        return false;
      }
    },
  };
}
