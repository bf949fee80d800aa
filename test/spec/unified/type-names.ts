/**
 * $$type: the $type query operator's aliases. The driver promotes int32, int64 and double
 * to JS numbers, so for a plain number only what survives promotion can be checked: an
 * integer may have been any of the three, a fraction was a double.
 */
import { bsonTag, documentFields } from './bson-values.js';
import { RunnerError } from './runner-error.js';

const int32Minimum = -(2 ** 31);
const int32Maximum = 2 ** 31 - 1;

function isInt32Number(value: unknown): boolean {
  return (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= int32Minimum &&
    value <= int32Maximum
  );
}

const predicates: Record<string, (value: unknown) => boolean> = {
  double: (value) => bsonTag(value) === 'Double' || typeof value === 'number',
  string: (value) => typeof value === 'string',
  object: (value) => documentFields(value) !== undefined,
  array: (value) => Array.isArray(value),
  binData: (value) => bsonTag(value) === 'Binary' || value instanceof Uint8Array,
  undefined: (value) => value === undefined,
  objectId: (value) => bsonTag(value) === 'ObjectId',
  bool: (value) => typeof value === 'boolean',
  date: (value) => value instanceof Date,
  null: (value) => value === null,
  regex: (value) => value instanceof RegExp || bsonTag(value) === 'BSONRegExp',
  dbPointer: (value) => bsonTag(value) === 'DBRef',
  javascript: (value) => bsonTag(value) === 'Code' && (value as { scope?: unknown }).scope == null,
  symbol: (value) => bsonTag(value) === 'BSONSymbol',
  javascriptWithScope: (value) =>
    bsonTag(value) === 'Code' && (value as { scope?: unknown }).scope != null,
  int: (value) => bsonTag(value) === 'Int32' || isInt32Number(value),
  timestamp: (value) => bsonTag(value) === 'Timestamp',
  long: (value) =>
    bsonTag(value) === 'Long' ||
    typeof value === 'bigint' ||
    (typeof value === 'number' && Number.isInteger(value)),
  decimal: (value) => bsonTag(value) === 'Decimal128',
  minKey: (value) => bsonTag(value) === 'MinKey',
  maxKey: (value) => bsonTag(value) === 'MaxKey',
};
predicates['number'] = (value) =>
  ['int', 'long', 'double', 'decimal'].some((name) => predicates[name]?.(value) === true);

export function matchesTypeName(name: string, value: unknown): boolean {
  const predicate = predicates[name];
  if (predicate === undefined) throw new RunnerError(`$$type: unknown type name "${name}"`);
  return predicate(value);
}
