/** collMod: change a collection's validator and validation settings. */
import type { BsonDocument } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { formatValue } from '../../bson/format-value.js';
import type { CommandSpec } from '../context.js';
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
    for (const [field, value] of Object.entries(body).slice(1)) {
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
    return { ok: 1 };
  },
};
