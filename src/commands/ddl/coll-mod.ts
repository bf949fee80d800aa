/** collMod: change a collection's validator and validation settings. */
import type { BsonDocument } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { formatValue } from '../../bson/format-value.js';
import type { CommandSpec, Reply } from '../context.js';
import type { CollectionEntry } from '../../storage/catalog-entry.js';
import type { StorageEngine } from '../../storage/storage-engine.js';
import { isNumber } from '../../bson/types.js';
import type { BsonValue } from '../../bson/types.js';
import { indexesNamed } from './indexes.js';
import { expireAfterSecondsMax } from './index-spec.js';
import { toDouble } from '../../bson/arith.js';

/** collMod {index: {name | keyPattern, hidden, expireAfterSeconds}}. */
function modifyIndex(storage: StorageEngine, entry: CollectionEntry, value: BsonValue): Reply {
  if (!isDocument(value)) throw new MongoError('TypeMismatch', "'index' must be an object");
  const target = value.name ?? value.keyPattern;
  if (target === undefined)
    throw new MongoError(
      'InvalidOptions',
      'must specify either index name or key pattern for collMod',
    );
  const [index] = indexesNamed(entry, target);
  if (index === undefined) throw new MongoError('IndexNotFound', 'cannot find index for collMod');
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
  storage.write(() => storage.updateIndexSpec(entry, index, spec));
  return reply;
}
import { collectionName } from '../args.js';
import { validateCollectionName } from '../namespace.js';

const allowed = new Set([
  'validator',
  'validationLevel',
  'validationAction',
  'changeStreamPreAndPostImages',
]);
const levels = new Set(['off', 'strict', 'moderate']);
const actions = new Set(['error', 'warn']);

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
        reply = modifyIndex(server.storage, entry, value);
        continue;
      }
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
          `Enumeration value '${formatValue(value)}' for field 'validationLevel' is not a valid value.`,
        );
      }
      if (field === 'validationAction' && !(typeof value === 'string' && actions.has(value))) {
        throw new MongoError(
          'BadValue',
          `Enumeration value '${formatValue(value)}' for field 'validationAction' is not a valid value.`,
        );
      }
      options[field] = value;
    }
    server.storage.write(() => server.storage.updateOptions(entry, options));
    return reply;
  },
};
