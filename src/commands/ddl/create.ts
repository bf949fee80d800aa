/**
 * create: an explicit collection. As in MongoDB 7.0, creating a collection that exists
 * with the same options succeeds; different options are NamespaceExists.
 */
import { compareDocuments } from '../../bson/compare.js';
import { MongoError } from '../../errors/mongo-error.js';
import type { CommandContext, CommandSpec, Reply } from '../context.js';
import { checkFields, collectionName, optionalBool, optionalDocument } from '../args.js';
import { validateCollectionName } from '../namespace.js';
import { createCollectionOptions } from './collection-options.js';

const fields = new Set([
  'capped',
  'size',
  'max',
  'autoIndexId',
  'validator',
  'validationLevel',
  'validationAction',
  'collation',
  'viewOn',
  'pipeline',
  'clusteredIndex',
  'timeseries',
  'expireAfterSeconds',
  'changeStreamPreAndPostImages',
  'storageEngine',
  'indexOptionDefaults',
  'encryptedFields',
  'idIndex',
  'flags',
  'recordPreImages',
]);

function create(context: CommandContext): Reply {
  const { body, database } = context.request;
  checkFields('create', body, fields);
  const name = collectionName('create', body);
  const namespace = validateCollectionName(database, name, { forCreate: true });
  optionalDocument('create', body, 'validator');
  optionalBool('create', body, 'capped');
  const options = createCollectionOptions(body);
  const storage = context.server.storage;
  const existing = storage.collection(namespace);
  if (existing !== undefined) {
    if (compareDocuments(existing.options, options) === 0) return { ok: 1 };
    throw new MongoError('NamespaceExists', `Collection ${namespace} already exists.`);
  }
  storage.write(() => storage.createCollection(namespace, options));
  return { ok: 1 };
}

export const createCommand: CommandSpec = {
  name: 'create',
  help: 'Creates a collection with options.',
  kind: 'write',
  handler: create,
};
