/**
 * storage_validation.cpp: what an update may not store. Since MongoDB 5.0 only top-level
 * field names are restricted: a '$' prefix is refused there unless it is a well-formed
 * DBRef ($ref, $id, then optionally $db). _id may not be a regex, an array or undefined,
 * and its own top-level fields follow the same '$' rule.
 */
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { BsonType, bsonTypeName, bsonTypeOf, isDocument } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';

/**
 * validateDollarPrefixElement: `name` is a field of `container`; `fullName` is its dotted
 * path from the document root, for the message.
 */
export function checkTopLevelField(container: BsonDocument, name: string, fullName: string): void {
  if (!name.startsWith('$')) return;
  const names = Object.keys(container);
  let index = names.indexOf(name);
  let current = name;
  if (current === '$db') {
    requireString(container[current], 'The DBRef $db field must be a String, not a ');
    index -= 1;
    if (names[index] !== '$id') {
      throw invalidDbRef('Found $db field without a $id before it, which is invalid.');
    }
    current = '$id';
  }
  if (current === '$id') {
    index -= 1;
    if (names[index] !== '$ref') {
      throw invalidDbRef('Found $id field without a $ref before it, which is invalid.');
    }
    current = '$ref';
  }
  if (current === '$ref') {
    requireString(container[current], 'The DBRef $ref field must be a String, not a ');
    if (names[index + 1] !== '$id') {
      throw invalidDbRef('The DBRef $ref field must be followed by a $id field');
    }
    return;
  }
  throw new MongoError(
    'DollarPrefixedFieldName',
    `The dollar ($) prefixed field '${name}' in '${fullName}' is not allowed in the context of ` +
      "an update's replacement document. Consider using an aggregation pipeline with $replaceWith.",
  );
}

function requireString(value: BsonValue, message: string): void {
  if (typeof value !== 'string') throw invalidDbRef(`${message}${bsonTypeName(bsonTypeOf(value))}`);
}

function invalidDbRef(message: string): MongoError {
  return new MongoError('InvalidDBRef', message);
}

/**
 * storage_validation::scanDocument over a whole document: _id checks always, top-level
 * '$' names unless `allowTopLevelDollarPrefixes` (upserted documents may keep them).
 */
export function validateDocumentForStorage(
  doc: BsonDocument,
  allowTopLevelDollarPrefixes: boolean,
): void {
  for (const name of Object.keys(doc)) {
    const value = doc[name];
    if (name === '_id') {
      validateId(value);
    } else if (!allowTopLevelDollarPrefixes) {
      checkTopLevelField(doc, name, name);
    }
  }
}

function validateId(value: BsonValue): void {
  if (isDocument(value)) {
    for (const name of Object.keys(value)) checkTopLevelField(value, name, `_id.${name}`);
    return;
  }
  const type = bsonTypeOf(value);
  if (type === BsonType.regex || type === BsonType.array || type === BsonType.undefined) {
    throw new MongoError(
      'InvalidIdField',
      `The '_id' value cannot be of type ${bsonTypeName(type)}`,
    );
  }
}
