/**
 * Turning a client document into what is stored: `_id` first (generated when missing),
 * `_id` of a storable type, and the size limit. The client's bytes are stored unchanged
 * whenever they already satisfy all of that, which is the common case for drivers.
 */
import { ObjectId } from 'bson';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { bsonTypeOf, BsonType, isDocument } from '../../bson/types.js';
import { encodeDocument } from '../../bson/serialize.js';
import { MongoError } from '../../errors/mongo-error.js';
import { bsonObjectSizeMax } from '../../wire/limits.js';
import { rawElements } from '../../bson/raw-elements.js';
import { checkDocumentLimits, storageDepthMax } from '../../bson/document-limits.js';

export interface PreparedDocument {
  raw: Buffer;
  doc: BsonDocument;
}

export function checkIdValue(id: BsonValue): void {
  const type = bsonTypeOf(id);
  if (type === BsonType.array || type === BsonType.regex || type === BsonType.undefined) {
    const name =
      type === BsonType.array ? 'array' : type === BsonType.regex ? 'regex' : 'undefined';
    throw new MongoError('InvalidIdField', `The '_id' value cannot be of type ${name}`);
  }
  if (isDocument(id)) {
    for (const key of Object.keys(id)) {
      if (key.startsWith('$')) {
        throw new MongoError(
          'DollarPrefixedFieldName',
          `_id fields may not contain '$'-prefixed fields: ${key} is not valid for storage.`,
        );
      }
    }
  }
}

export function checkDocumentSize(raw: Uint8Array): void {
  if (raw.length > bsonObjectSizeMax) {
    throw new MongoError(
      'BSONObjectTooLarge',
      `object to insert too large. size in bytes: ${raw.length}, max size: ${bsonObjectSizeMax}`,
    );
  }
}

/**
 * What decoding hides: a repeated `_id` (the last one would win) and BSON undefined
 * (which decodes like a missing field).
 */
function checkRawId(raw: Buffer): void {
  let ids = 0;
  for (const element of rawElements(raw)) {
    if (element.name !== '_id') continue;
    if (element.type === BsonType.undefined) {
      throw new MongoError('InvalidIdField', "The '_id' value cannot be of type undefined");
    }
    if (++ids > 1)
      throw new MongoError('BadValue', "can't have multiple _id fields in one document");
  }
}

/** `raw` may be the client's bytes for `doc`; it is reused when `_id` is already first. */
export function prepareInsert(doc: BsonDocument, raw: Buffer | undefined): PreparedDocument {
  if (raw !== undefined) checkRawId(raw);
  checkDocumentLimits(doc, storageDepthMax);
  const keys = Object.keys(doc);
  if (doc._id !== undefined) checkIdValue(doc._id);
  if (keys[0] === '_id' && raw !== undefined) {
    checkDocumentSize(raw);
    return { raw, doc };
  }
  const id: BsonValue = doc._id === undefined ? new ObjectId() : doc._id;
  const ordered: BsonDocument = { _id: id };
  for (const key of keys) if (key !== '_id') ordered[key] = doc[key];
  const encoded = encodeDocument(ordered);
  checkDocumentSize(encoded);
  return { raw: encoded, doc: ordered };
}
