/**
 * $pull and $pullAll (pull_node.cpp, pullall_node.cpp, array_culling_node.cpp): remove
 * every array element that matches. A $pull condition is a query on element documents
 * when it is a plain document ({b: 1}), a query on the element itself when it starts
 * with an operator or is a regex ({$gte: 6}), and exact equality otherwise.
 */
import { compareValues, dbRefToDocument } from '../../../bson/compare.js';
import type { BsonDocument, BsonValue } from '../../../bson/types.js';
import { BsonType, bsonTypeName, bsonTypeOf, isDocument } from '../../../bson/types.js';
import { MongoError } from '../../../errors/mongo-error.js';
import { AssertionError } from '../../../util/assert.js';
import type { Modifier } from '../modifier.js';
import { unchanged } from '../modifier.js';
import type { MatcherFactory } from '../types.js';

type ElementMatcher = (element: BsonValue) => boolean;

/** The field name a scalar element is wrapped under so a filter can test it. */
const wrappedField = 'v';

/** MatchExpressionParser::parsePathAcceptingKeyword: operators that apply to a path. */
const pathOperators = new Set([
  '$all',
  '$bitsAllClear',
  '$bitsAllSet',
  '$bitsAnyClear',
  '$bitsAnySet',
  '$elemMatch',
  '$eq',
  '$exists',
  '$geoIntersects',
  '$geoNear',
  '$geoWithin',
  '$gt',
  '$gte',
  '$in',
  '$lt',
  '$lte',
  '$mod',
  '$ne',
  '$near',
  '$nearSphere',
  '$nin',
  '$options',
  '$regex',
  '$size',
  '$type',
  '$within',
]);

export function pullModifier(condition: BsonValue, compileFilter: MatcherFactory): Modifier {
  return cullingModifier(elementMatcher(condition, compileFilter));
}

export function pullAllModifier(values: BsonValue): Modifier {
  if (!Array.isArray(values)) {
    throw new MongoError(
      'BadValue',
      `$pullAll requires an array argument but was given a ${bsonTypeName(bsonTypeOf(values))}`,
    );
  }
  return cullingModifier((element) => values.some((value) => compareValues(element, value) === 0));
}

function elementMatcher(condition: BsonValue, compileFilter: MatcherFactory): ElementMatcher {
  const isRegex = bsonTypeOf(condition) === BsonType.regex;
  if (isDocument(condition) && !pathOperators.has(Object.keys(condition)[0] ?? '')) {
    const matches = compileFilter(condition);
    return (element) => {
      const doc = asDocument(element);
      return doc !== undefined && matches(doc);
    };
  }
  if (isDocument(condition) || isRegex) {
    const matches = compileFilter({ [wrappedField]: condition });
    return (element) => matches({ [wrappedField]: element });
  }
  return (element) => compareValues(element, condition) === 0;
}

function asDocument(element: BsonValue): BsonDocument | undefined {
  if (isDocument(element)) return element;
  const tag = (element as { _bsontype?: unknown } | null)?._bsontype;
  return tag === 'DBRef' ? dbRefToDocument(element as never) : undefined;
}

function cullingModifier(matches: ElementMatcher): Modifier {
  return {
    allowCreation: false,
    skipStorageValidation: true,
    updateExisting(current) {
      if (!Array.isArray(current)) {
        throw new MongoError('BadValue', 'Cannot apply $pull to a non-array value');
      }
      const kept = current.filter((element) => !matches(element));
      return kept.length === current.length ? unchanged : kept;
    },
    valueForNew: () => {
      throw new AssertionError('$pull never creates a field');
    },
  };
}
