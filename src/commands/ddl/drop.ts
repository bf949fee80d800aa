/** drop and dropDatabase. As in MongoDB 7.0, dropping what does not exist succeeds. */
import { Int32 } from 'bson';
import type { CommandSpec } from '../context.js';
import { collectionName } from '../args.js';
import { validateCollectionName, validateDatabaseName } from '../namespace.js';

export const dropCommand: CommandSpec = {
  name: 'drop',
  help: 'Drops a collection and its indexes.',
  kind: 'write',
  handler: ({ server, request }) => {
    const namespace = validateCollectionName(
      request.database,
      collectionName('drop', request.body),
    );
    const entry = server.storage.collection(namespace);
    if (entry === undefined) return { ok: 1 };
    const nIndexesWas = entry.indexes.length;
    server.cursors.killWhere((cursor) => cursor.namespace === namespace);
    server.storage.write(() => server.storage.dropCollection(namespace));
    return { nIndexesWas: new Int32(nIndexesWas), ns: namespace, ok: 1 };
  },
};

export const dropDatabaseCommand: CommandSpec = {
  name: 'dropDatabase',
  help: 'Drops every collection of the database.',
  kind: 'write',
  handler: ({ server, request }) => {
    const database = request.database;
    validateDatabaseName(database);
    const entries = server.storage.collections(database);
    server.cursors.killWhere((cursor) => cursor.namespace.startsWith(`${database}.`));
    server.storage.write(() => {
      for (const entry of entries) server.storage.dropCollection(entry.namespace);
    });
    return entries.length === 0 ? { ok: 1 } : { dropped: database, ok: 1 };
  },
};
