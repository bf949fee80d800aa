/**
 * Turning a client document into what is stored: `_id` first (generated when missing),
 * `_id` of a storable type, and the size limit. The client's bytes are stored unchanged
 * whenever they already satisfy all of that, which is the common case for drivers.
 */
import { deserialize, ObjectId } from 'bson';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { bsonTypeOf, BsonType, decodeOptions, isDocument } from '../../bson/types.js';
import { inspectRawDocument, moveIdFirst } from '../../bson/validate-raw.js';
import type { RawIdElement } from '../../bson/validate-raw.js';
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

function decodeIdElement(raw: Buffer, id: RawIdElement): BsonValue {
  const length = 4 + (id.end - id.start) + 1;
  const single = Buffer.allocUnsafe(length);
  single.writeInt32LE(length, 0);
  raw.copy(single, 4, id.start, id.end);
  single[length - 1] = 0;
  const decoded: BsonDocument = deserialize(single, decodeOptions);
  return decoded._id;
}

function withGeneratedId(raw: Buffer): { raw: Buffer; id: ObjectId } {
  const id = new ObjectId();
  const element = Buffer.concat([Buffer.from([BsonType.objectId, 0x5f, 0x69, 0x64, 0]), id.id]);
  const out = Buffer.allocUnsafe(raw.length + element.length);
  out.writeInt32LE(out.length, 0);
  element.copy(out, 4);
  raw.copy(out, 4 + element.length, 4);
  return { raw: out, id };
}

/**
 * The insert fast path: validate the client's bytes in place, put `_id` first by copying
 * bytes, and decode the whole document only when something will read its fields
 * (`needDocument`: secondary indexes, a validator); otherwise `doc` holds only `_id`.
 */
export function prepareRawInsert(raw: Buffer, needDocument: boolean): PreparedDocument {
  const inspection = inspectRawDocument(raw, storageDepthMax);
  let stored = raw;
  let id: BsonValue;
  if (inspection.id === undefined) {
    const generated = withGeneratedId(raw);
    stored = generated.raw;
    id = generated.id;
  } else {
    if (inspection.id.type === BsonType.undefined) {
      throw new MongoError('InvalidIdField', "The '_id' value cannot be of type undefined");
    }
    id = decodeIdElement(raw, inspection.id);
    checkIdValue(id);
    if (!inspection.idFirst) stored = moveIdFirst(raw, inspection.id);
  }
  checkDocumentSize(stored);
  const doc = needDocument ? deserialize(stored, decodeOptions) : { _id: id };
  return { raw: stored, doc };
}
