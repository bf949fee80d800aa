/**
 * Validating and normalising createIndexes specifications with MongoDB's rules and
 * errors. Index types Shoal does not implement (text, 2d, 2dsphere, hashed, wildcard)
 * are refused with NotImplemented rather than built as something else.
 */
import { Int32 } from 'bson';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { bsonTypeName, bsonTypeOf, isDocument, isNumber } from '../../bson/types.js';
import { toDouble } from '../../bson/arith.js';
import { documentToString } from '../../bson/to-string.js';
import { MongoError } from '../../errors/mongo-error.js';
import type { ErrorCodeName } from '../../errors/codes.js';
import { checkCollation } from '../generic-arguments.js';

const allowedOptions = new Set([
  'v',
  'key',
  'name',
  'unique',
  'sparse',
  'partialFilterExpression',
  'expireAfterSeconds',
  'hidden',
  'background',
  'collation',
  'storageEngine',
  'ns',
  'dropDups',
  'prepareUnique',
]);
const storedOptions = [
  'unique',
  'sparse',
  'partialFilterExpression',
  'expireAfterSeconds',
  'hidden',
  'storageEngine',
];
export const expireAfterSecondsMax = 2 ** 31 - 1;

function specError(
  spec: BsonDocument,
  reason: string,
  code: ErrorCodeName = 'CannotCreateIndex',
): MongoError {
  return new MongoError(
    code,
    `Error in specification ${documentToString(spec)} :: caused by :: ${reason}`,
  );
}

function checkKeyPattern(spec: BsonDocument, key: BsonValue | undefined): BsonDocument {
  if (!isDocument(key)) throw specError(spec, "The 'key' field must be an object", 'TypeMismatch');
  const entries = Object.entries(key);
  if (entries.length === 0) throw specError(spec, 'Index keys cannot be an empty object.');
  for (const [path, value] of entries) {
    if (path === '' || path.startsWith('.') || path.endsWith('.') || path.includes('..')) {
      throw specError(spec, `Index key contains an illegal field name: '${path}'`);
    }
    if (
      path !== '$**' &&
      !path.endsWith('.$**') &&
      path.split('.').some((part) => part.startsWith('$'))
    ) {
      throw specError(
        spec,
        "Index key contains an illegal field name: field name starts with '$'.",
      );
    }
    if (typeof value === 'string') {
      throw new MongoError('NotImplemented', `Shoal does not support '${value}' indexes yet`);
    }
    if (path === '$**' || path.endsWith('.$**'))
      throw new MongoError('NotImplemented', 'Shoal does not support wildcard indexes yet');
    if (!isNumber(value) || toDouble(value) === 0 || Number.isNaN(toDouble(value))) {
      throw specError(
        spec,
        `Values in v:2 index key pattern cannot be of type ${typeof value === 'object' ? 'object' : typeof value}. Only numbers > 0, numbers < 0, and strings are allowed.`,
      );
    }
  }
  return key;
}

/** index_key_validate.cpp validateExpireAfterSeconds, for a secondary (non-clustered) index. */
function expireAfterSecondsProblem(value: BsonValue): string | undefined {
  const field = "TTL index 'expireAfterSeconds'";
  if (!isNumber(value))
    return `${field} option must be numeric, but received a type of '${bsonTypeName(bsonTypeOf(value))}'`;
  const seconds = toDouble(value);
  if (Number.isNaN(seconds)) return `${field} option must not be NaN`;
  const truncated = Math.trunc(seconds);
  if (truncated < -(2 ** 31) || truncated > expireAfterSecondsMax)
    return `${field} must be within the range of a 32-bit integer`;
  if (truncated < 0) return `${field} option cannot be less than 0`;
  return undefined;
}

function checkOptions(spec: BsonDocument, single: boolean, isId: boolean): void {
  for (const field of Object.keys(spec)) {
    if (!allowedOptions.has(field)) {
      throw new MongoError(
        'InvalidIndexSpecificationOption',
        `The field '${field}' is not valid for an index specification. Specification: ${documentToString(spec)}`,
      );
    }
  }
  checkCollation(spec.collation);
  if (spec.partialFilterExpression !== undefined && !isDocument(spec.partialFilterExpression)) {
    throw specError(spec, "The field 'partialFilterExpression' must be an object", 'TypeMismatch');
  }
  if (spec.partialFilterExpression !== undefined && spec.sparse === true) {
    throw specError(spec, "cannot mix 'partialFilterExpression' and 'sparse' options");
  }
  if (spec.expireAfterSeconds !== undefined) {
    const problem = expireAfterSecondsProblem(spec.expireAfterSeconds);
    if (problem !== undefined) throw specError(spec, problem);
    if (!single)
      throw specError(
        spec,
        'TTL indexes are single-field indexes, compound indexes do not support TTL.',
      );
    if (isId)
      throw specError(
        spec,
        "The field 'expireAfterSeconds' is not valid for an _id index specification.",
        'InvalidIndexSpecificationOption',
      );
  }
  if (isId && spec.hidden === true) throw specError(spec, "can't hide _id index", 'BadValue');
}

/** The spec as stored and listed: {v: 2, key, name, ...options}. */
export function normalizeIndexSpec(raw: BsonValue): BsonDocument {
  if (!isDocument(raw))
    throw new MongoError('TypeMismatch', 'each index specification must be an object');
  const key = checkKeyPattern(raw, raw.key);
  const name = raw.name;
  if (typeof name !== 'string' || name === '') {
    throw specError(
      raw,
      "The 'name' field is a required property of an index specification",
      'FailedToParse',
    );
  }
  const isId = Object.keys(key).length === 1 && key._id !== undefined;
  // index_key_validate.cpp parseAndValidateIndexSpecs: names a dropIndexes could misread.
  if (!isId && name === '_id_')
    throw new MongoError(
      'BadValue',
      `The index name '_id_' is reserved for the _id index, which must have key pattern {_id: 1}, found ${documentToString(key)}`,
    );
  if (name === '*') throw new MongoError('BadValue', "The index name '*' is not valid.");
  checkOptions(raw, Object.keys(key).length === 1, isId);
  const spec: BsonDocument = { v: new Int32(2), key, name };
  for (const option of storedOptions) {
    const value = raw[option];
    if (value === undefined) continue;
    if (option === 'unique' || option === 'sparse' || option === 'hidden') {
      if (value === true || (isNumber(value) && toDouble(value) !== 0)) spec[option] = true;
      continue;
    }
    spec[option] = value;
  }
  return spec;
}
