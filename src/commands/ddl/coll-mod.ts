/** collMod: change a collection's validator and validation settings. */
import type { BsonDocument } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { bsonToString } from '../../bson/to-string.js';
import type { CommandSpec, Reply } from '../context.js';
import type { CollectionEntry } from '../../storage/catalog-entry.js';
import type { StorageEngine } from '../../storage/storage-engine.js';
import { isNumber } from '../../bson/types.js';
import type { BsonValue } from '../../bson/types.js';
import { indexesNamed } from './indexes.js';
import { duplicateKeyGroups, rewriteAsUnique } from '../../storage/convert-to-unique.js';
import type { IndexEntry } from '../../storage/catalog-entry.js';
import { deserialize } from 'bson';
import { decodeOptions } from '../../bson/types.js';
import { expireAfterSecondsMax } from './index-spec.js';
import { toDouble } from '../../bson/arith.js';
import { collectionName } from '../args.js';
import { validateCollectionName } from '../namespace.js';

const allowed = new Set([
  'validator',
  'validationLevel',
  'validationAction',
  'changeStreamPreAndPostImages',
  'index',
  'dryRun',
]);
const indexOptions = new Set([
  'name',
  'keyPattern',
  'hidden',
  'expireAfterSeconds',
  'prepareUnique',
  'unique',
]);
const levels = new Set(['off', 'strict', 'moderate']);
const actions = new Set(['error', 'warn']);
/** collMod {index: {name | keyPattern, hidden, expireAfterSeconds}}. */
function modifyIndex(storage: StorageEngine, entry: CollectionEntry, value: BsonValue): Reply {
  if (!isDocument(value)) throw new MongoError('TypeMismatch', "'index' must be an object");
  for (const option of Object.keys(value)) {
    if (!indexOptions.has(option))
      throw new MongoError('InvalidOptions', `unknown option to collMod index: ${option}`);
  }
  const target = value.name ?? value.keyPattern;
  if (target === undefined)
    throw new MongoError(
      'InvalidOptions',
      'must specify either index name or key pattern for collMod',
    );
  const [index] = indexesNamed(entry, target);
  // coll_mod.cpp looks indexes up without unfinished ones: a build in progress is not found.
  if (index === undefined || index.building)
    throw new MongoError('IndexNotFound', 'cannot find index for collMod');
  const spec: BsonDocument = { ...index.spec };
  const reply: Reply = {};
  if (value.hidden !== undefined) {
    if (typeof value.hidden !== 'boolean')
      throw new MongoError('TypeMismatch', "'hidden' must be a boolean");
    if (index.name === '_id_') throw new MongoError('BadValue', "can't hide _id index");
    reply.hidden_old = index.hidden;
    reply.hidden_new = value.hidden;
    if (value.hidden) spec.hidden = true;
    else delete spec.hidden;
  }
  if (value.expireAfterSeconds !== undefined) {
    const seconds = isNumber(value.expireAfterSeconds) ? toDouble(value.expireAfterSeconds) : NaN;
    if (index.expireAfterSeconds === undefined)
      throw new MongoError('InvalidOptions', 'no expireAfterSeconds field to update');
    if (!(seconds >= 0 && seconds <= expireAfterSecondsMax))
      throw new MongoError('InvalidOptions', 'expireAfterSeconds out of range');
    reply.expireAfterSeconds_old = index.spec.expireAfterSeconds;
    reply.expireAfterSeconds_new = value.expireAfterSeconds;
    spec.expireAfterSeconds = value.expireAfterSeconds;
  }
  if (value.prepareUnique !== undefined) {
    if (typeof value.prepareUnique !== 'boolean')
      throw new MongoError('TypeMismatch', "'prepareUnique' must be a boolean");
    reply.prepareUnique_old = index.spec.prepareUnique === true;
    reply.prepareUnique_new = value.prepareUnique;
    if (value.prepareUnique) spec.prepareUnique = true;
    else delete spec.prepareUnique;
  }
  if (value.unique !== undefined) return makeUnique(storage, entry, index, spec, value, reply);
  storage.write(() => storage.updateIndexSpec(entry, index, spec));
  return reply;
}

function documentAt(
  storage: StorageEngine,
  entry: CollectionEntry,
  recordId: number,
): BsonDocument {
  return deserialize(storage.getRecord(entry, recordId) as Buffer, decodeOptions);
}

/** {unique: true}: allowed once prepareUnique is set and no key is duplicated. */
function makeUnique(
  storage: StorageEngine,
  entry: CollectionEntry,
  index: IndexEntry,
  spec: BsonDocument,
  value: BsonDocument,
  reply: Reply,
): Reply {
  if (value.unique !== true)
    throw new MongoError('BadValue', "The field 'unique' can only be set to true");
  if (index.unique) return reply;
  if (spec.prepareUnique !== true) {
    throw new MongoError(
      'InvalidOptions',
      "Cannot make index unique with 'prepareUnique=false'. Run collMod to set it first.",
    );
  }
  const groups = duplicateKeyGroups(storage, index);
  if (groups.length > 0) {
    const violations = groups.map((recordIds) => ({
      ids: recordIds.map((recordId) => documentAt(storage, entry, recordId)._id),
    }));
    throw new MongoError(
      'CannotConvertIndexToUnique',
      'Cannot convert the index to unique. Please resolve conflicting documents before running collMod again.',
      { violations },
    );
  }
  if (value.dryRun === true) return reply;
  const { prepareUnique: _prepared, ...rest } = spec;
  storage.write(() => rewriteAsUnique(storage, entry, index, { ...rest, unique: true }));
  return { ...reply, unique_new: true };
}

export const collModCommand: CommandSpec = {
  name: 'collMod',
  help: 'Changes collection options: validator, validationLevel, validationAction.',
  kind: 'write',
  handler: ({ server, request }) => {
    const { body, database } = request;
    const namespace = validateCollectionName(database, collectionName('collMod', body));
    const entry = server.storage.collection(namespace);
    if (entry === undefined)
      throw new MongoError('NamespaceNotFound', `ns does not exist: ${namespace}`);
    const options: BsonDocument = { ...entry.options };
    let reply: Reply = {};
    for (const [field, value] of Object.entries(body).slice(1)) {
      if (field === 'index') {
        reply = modifyIndex(
          server.storage,
          entry,
          isDocument(value) && body.dryRun === true ? { ...value, dryRun: true } : value,
        );
        continue;
      }
      if (field === 'dryRun') continue;
      if (
        field.startsWith('$') ||
        field === 'lsid' ||
        field === 'writeConcern' ||
        field === 'comment'
      )
        continue;
      if (!allowed.has(field))
        throw new MongoError('InvalidOptions', `unknown option to collMod: ${field}`);
      if (field === 'validator' && !isDocument(value))
        throw new MongoError('TypeMismatch', "'validator' must be an object");
      if (field === 'validationLevel' && !(typeof value === 'string' && levels.has(value))) {
        throw new MongoError(
          'BadValue',
          `Enumeration value '${bsonToString(value)}' for field 'validationLevel' is not a valid value.`,
        );
      }
      if (field === 'validationAction' && !(typeof value === 'string' && actions.has(value))) {
        throw new MongoError(
          'BadValue',
          `Enumeration value '${bsonToString(value)}' for field 'validationAction' is not a valid value.`,
        );
      }
      options[field] = value;
    }
    server.storage.write(() => server.storage.updateOptions(entry, options));
    return reply;
  },
};
