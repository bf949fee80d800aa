/** renameCollection, within or across databases; the records stay where they are. */
import { MongoError } from '../../errors/mongo-error.js';
import type { CommandSpec } from '../context.js';
import { optionalBool, requiredString } from '../args.js';
import { validateCollectionName } from '../namespace.js';

function parseNamespace(namespace: string): { database: string; name: string } {
  const dot = namespace.indexOf('.');
  if (dot <= 0)
    throw new MongoError('InvalidNamespace', `Invalid namespace specified '${namespace}'`);
  return { database: namespace.slice(0, dot), name: namespace.slice(dot + 1) };
}

export const renameCollectionCommand: CommandSpec = {
  name: 'renameCollection',
  adminOnly: true,
  kind: 'write',
  help: 'Renames a collection: {renameCollection: "db.from", to: "db.to", dropTarget}.',
  handler: ({ server, request }) => {
    const { body } = request;
    const from = requiredString('renameCollection', body, 'renameCollection');
    const to = requiredString('renameCollection', body, 'to');
    const source = parseNamespace(from);
    const target = parseNamespace(to);
    validateCollectionName(source.database, source.name);
    validateCollectionName(target.database, target.name, { forCreate: true });
    const dropTarget = optionalBool('renameCollection', body, 'dropTarget') ?? false;
    const storage = server.storage;
    const sourceEntry = storage.collection(from);
    if (sourceEntry === undefined) {
      throw new MongoError('NamespaceNotFound', `Source collection ${from} does not exist`);
    }
    // index_builds_coordinator.cpp assertNoIndexBuildInProgForCollection.
    if (sourceEntry.indexes.some((index) => index.building)) {
      throw new MongoError(
        'BackgroundOperationInProgressForNamespace',
        `cannot perform operation: an index build is currently running for collection ${from}`,
      );
    }
    if (from === to)
      throw new MongoError('IllegalOperation', "Can't rename a collection to itself");
    if (storage.collection(to) !== undefined && !dropTarget) {
      throw new MongoError('NamespaceExists', 'target namespace exists');
    }
    server.cursors.killWhere((cursor) => cursor.namespace === from || cursor.namespace === to);
    storage.write(() => {
      if (dropTarget) storage.dropCollection(to);
      storage.renameCollection(from, to);
    });
    return { ok: 1 };
  },
};
