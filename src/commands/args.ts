/**
 * Typed access to command fields with MongoDB's IDL error messages, e.g.
 * "BSON field 'find.limit' is the wrong type 'string', expected types '[long, int,
 * decimal, double]'" (code 14). Numbers stay exact: integral parameters are returned as
 * JS numbers only after checking they are integral and in range.
 */
import type { BsonDocument, BsonValue } from '../bson/types.js';
import { bsonTypeName, bsonTypeOf, isDocument, isNumber } from '../bson/types.js';
import { toDouble } from '../bson/arith.js';
import { MongoError } from '../errors/mongo-error.js';

const numericTypes = "'[long, int, decimal, double]'";

export function typeNameOf(value: BsonValue): string {
  return bsonTypeName(bsonTypeOf(value));
}

export function wrongType(
  command: string,
  field: string,
  value: BsonValue,
  expected: string,
): MongoError {
  const plural = expected.startsWith("'[") ? 'types' : 'type';
  return new MongoError(
    'TypeMismatch',
    `BSON field '${command}.${field}' is the wrong type '${typeNameOf(value)}', expected ${plural} ${expected}`,
  );
}

export function missingField(command: string, field: string): MongoError {
  return new MongoError(40414, `BSON field '${command}.${field}' is missing but a required field`);
}

export function unknownField(command: string, field: string): MongoError {
  return new MongoError(40415, `BSON field '${command}.${field}' is an unknown field.`);
}

/** Fields any command may carry (generic arguments in MongoDB's IDL). */
export const genericFields = new Set([
  '$db',
  'lsid',
  'txnNumber',
  'autocommit',
  'startTransaction',
  'stmtId',
  'stmtIds',
  '$clusterTime',
  '$readPreference',
  'readConcern',
  'writeConcern',
  'comment',
  'maxTimeMS',
  'apiVersion',
  'apiStrict',
  'apiDeprecationErrors',
  '$audit',
  '$client',
  'mayBypassWriteBlocking',
  'databaseVersion',
  'shardVersion',
  'clientOperationKey',
  '$queryOptions',
  'help',
  'usesDefaultMaxTimeMS',
]);

/**
 * Rejects fields that are neither the command's own nor generic (IDL strict parsing).
 * A command body's first field is the command itself; a nested struct (an update
 * statement) has no such field and no generic fields.
 */
export function checkFields(
  command: string,
  body: BsonDocument,
  allowed: ReadonlySet<string>,
  options: { nested?: boolean } = {},
): void {
  const fields = Object.keys(body);
  for (const field of options.nested ? fields : fields.slice(1)) {
    if (allowed.has(field) || (!options.nested && genericFields.has(field))) continue;
    throw unknownField(command, field);
  }
}

export function optionalDocument(
  command: string,
  body: BsonDocument,
  field: string,
): BsonDocument | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!isDocument(value)) throw wrongType(command, field, value, "'object'");
  return value;
}

export function optionalArray(
  command: string,
  body: BsonDocument,
  field: string,
): BsonValue[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw wrongType(command, field, value, "'array'");
  return value;
}

export function optionalString(
  command: string,
  body: BsonDocument,
  field: string,
): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw wrongType(command, field, value, "'string'");
  return value;
}

export function requiredString(command: string, body: BsonDocument, field: string): string {
  const value = optionalString(command, body, field);
  if (value === undefined) throw missingField(command, field);
  return value;
}

/** MongoDB's IDL "safeBool": booleans and numbers (non-zero is true). */
export function optionalBool(
  command: string,
  body: BsonDocument,
  field: string,
): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (isNumber(value)) return toDouble(value) !== 0;
  throw wrongType(command, field, value, "'bool'");
}

/** An integral numeric parameter (limit, skip, batchSize): any numeric type, integral value. */
export function optionalInteger(
  command: string,
  body: BsonDocument,
  field: string,
): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!isNumber(value)) throw wrongType(command, field, value, numericTypes);
  const number = toDouble(value);
  if (!Number.isFinite(number) || !Number.isInteger(number)) {
    throw new MongoError(
      'BadValue',
      `BSON field '${command}.${field}' value must be an integral number, got ${number}`,
    );
  }
  return number;
}

export function nonNegativeInteger(
  command: string,
  body: BsonDocument,
  field: string,
): number | undefined {
  const value = optionalInteger(command, body, field);
  if (value !== undefined && value < 0) {
    throw new MongoError(
      51024,
      `BSON field '${field}' value must be >= 0, actual value '${value}'`,
    );
  }
  return value;
}

/** The collection a command names as its first field's value (find: "users"). */
export function collectionName(command: string, body: BsonDocument): string {
  const value = body[command];
  if (typeof value !== 'string') {
    throw new MongoError(
      'InvalidNamespace',
      `collection name has invalid type ${value === undefined ? 'missing' : typeNameOf(value)}`,
    );
  }
  return value;
}
