/**
 * arrayFilters (parsed_update.cpp, expression_with_placeholder.cpp): each filter is a
 * query whose top-level paths all start with one identifier, the placeholder for the
 * array element. A filter is compiled once; an element is tested by wrapping it as
 * {<identifier>: element}, so {'x.b': 1} looks inside element documents and {x: {$gt: 5}}
 * tests scalar elements, with the matcher's usual array semantics.
 */
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import type { ElementPredicate } from './update-node.js';
import type { MatcherFactory } from './types.js';

/** ExpressionWithPlaceholder: a lowercase letter, then letters and digits. */
const placeholderPattern = /^[a-z][a-zA-Z0-9]*$/;
const logicalOperators = new Set(['$and', '$or', '$nor']);

export function compileArrayFilters(
  filters: readonly BsonDocument[],
  compileFilter: MatcherFactory,
): Map<string, ElementPredicate> {
  const compiled = new Map<string, ElementPredicate>();
  for (const filter of filters) {
    const matches = withContext(() => compileFilter(filter));
    const identifier = withContext(() => placeholderOf(filter));
    if (identifier === undefined) {
      throw new MongoError(
        'FailedToParse',
        'Cannot use an expression without a top-level field name in arrayFilters',
      );
    }
    if (compiled.has(identifier)) {
      throw new MongoError(
        'FailedToParse',
        `Found multiple array filters with the same top-level field name ${identifier}`,
      );
    }
    compiled.set(identifier, (element) => matches({ [identifier]: element }));
  }
  return compiled;
}

/** Status::withContext("Error parsing array filter"): the code is kept. */
function withContext<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof MongoError)) throw error;
    throw new MongoError(
      error.code,
      `Error parsing array filter :: caused by :: ${error.message}`,
      error.extra,
    );
  }
}

/** parseTopLevelFieldName, then the placeholder pattern check. */
function placeholderOf(filter: BsonDocument): string | undefined {
  const placeholder = fieldOfClause(filter);
  if (placeholder !== undefined && !placeholderPattern.test(placeholder)) {
    throw new MongoError(
      'BadValue',
      'The top-level field name must be an alphanumeric string beginning with a lowercase ' +
        `letter, found '${placeholder}'`,
    );
  }
  return placeholder;
}

/**
 * The top-level field of a query as the parser reads it: an implicit $and of its fields,
 * $and/$or/$nor recursing into their clauses, other $-operators ($expr...) naming none.
 */
function fieldOfClause(clause: BsonDocument): string | undefined {
  let placeholder: string | undefined;
  for (const [name, value] of Object.entries(clause)) {
    const found = name.startsWith('$') ? fieldOfLogical(name, value) : name.split('.')[0];
    placeholder = combine(placeholder, found);
  }
  return placeholder;
}

function fieldOfLogical(name: string, value: BsonValue): string | undefined {
  if (!logicalOperators.has(name) || !Array.isArray(value)) return undefined;
  let placeholder: string | undefined;
  for (const clause of value) {
    if (isDocument(clause)) placeholder = combine(placeholder, fieldOfClause(clause));
  }
  return placeholder;
}

/** The first field named wins; a different one later is an error. */
function combine(current: string | undefined, found: string | undefined): string | undefined {
  if (found === undefined || current === undefined) return current ?? found;
  if (found !== current) {
    throw new MongoError(
      'FailedToParse',
      `Expected a single top-level field name, found '${current}' and '${found}'`,
    );
  }
  return current;
}
