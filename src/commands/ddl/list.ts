/** listDatabases and listCollections, filtered with the query language like MongoDB's. */
import { Long } from 'bson';
import type { BsonDocument } from '../../bson/types.js';
import type { CollectionEntry } from '../../storage/catalog-entry.js';
import { ValuesStage } from '../../query/exec/basic-stages.js';
import type { CommandContext, CommandSpec, Reply } from '../context.js';
import { nonNegativeInteger, optionalBool, optionalDocument } from '../args.js';
import { validateDatabaseName } from '../namespace.js';
import { QueryCompiler } from '../query-compiler.js';
import { openCursorReply } from '../crud/cursor-reply.js';
import { interruptCheck } from '../interrupt.js';

export const listDatabasesCommand: CommandSpec = {
  name: 'listDatabases',
  adminOnly: true,
  help: 'Lists databases with their sizes.',
  handler: (context) => {
    const { server, request } = context;
    const nameOnly = optionalBool('listDatabases', request.body, 'nameOnly') ?? false;
    const filter = optionalDocument('listDatabases', request.body, 'filter') ?? {};
    const matcher = QueryCompiler.forCommand(context).matcher(filter);
    let totalSize = 0;
    const databases: BsonDocument[] = [];
    for (const name of server.storage.databases()) {
      const entries = server.storage.collections(name);
      const sizeOnDisk = entries.reduce((total, entry) => total + entry.dataSize, 0);
      const doc: BsonDocument = nameOnly
        ? { name }
        : {
            name,
            sizeOnDisk: Long.fromNumber(sizeOnDisk),
            empty: entries.every((entry) => entry.count === 0),
          };
      if (!matcher(doc)) continue;
      totalSize += sizeOnDisk;
      databases.push(doc);
    }
    const reply: Reply = { databases };
    if (!nameOnly)
      Object.assign(reply, {
        totalSize: Long.fromNumber(totalSize),
        totalSizeMb: Long.fromNumber(Math.floor(totalSize / 1048576)),
      });
    return reply;
  },
};

function collectionInfo(entry: CollectionEntry): BsonDocument {
  const idIndex = entry.indexes.find((index) => index.name === '_id_');
  const info: BsonDocument = {
    name: entry.name,
    type: 'collection',
    options: entry.options,
    info: { readOnly: false, uuid: entry.uuid },
  };
  if (idIndex !== undefined) info.idIndex = idIndex.spec;
  return info;
}

async function listCollections(context: CommandContext): Promise<Reply> {
  const { body, database } = context.request;
  validateDatabaseName(database);
  const nameOnly = optionalBool('listCollections', body, 'nameOnly') ?? false;
  const filter = optionalDocument('listCollections', body, 'filter') ?? {};
  const cursor = optionalDocument('listCollections', body, 'cursor') ?? {};
  const batchSize = nonNegativeInteger('listCollections', cursor, 'batchSize');
  const matcher = QueryCompiler.forCommand(context).matcher(filter);
  const entries = context.server.storage
    .collections(database)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const docs = entries
    .map(collectionInfo)
    .filter((doc) => matcher(doc))
    .map((doc) => (nameOnly ? { name: doc.name, type: doc.type } : doc));
  return openCursorReply(context, {
    namespace: `${database}.$cmd.listCollections`,
    stage: new ValuesStage(docs),
    batchSize,
    singleBatch: false,
    checkInterrupt: interruptCheck(context),
  });
}

export const listCollectionsCommand: CommandSpec = {
  name: 'listCollections',
  help: 'Lists the collections of a database.',
  handler: listCollections,
};
