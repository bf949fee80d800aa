/** dbStats and collStats from the live counters the storage engine keeps. */
import { statfsSync } from 'node:fs';
import { Double, Int32, Long } from 'bson';
import { isNumber } from '../../bson/types.js';
import { toDouble } from '../../bson/arith.js';
import { MongoError } from '../../errors/mongo-error.js';
import type { CollectionEntry } from '../../storage/catalog-entry.js';
import type { StorageEngine } from '../../storage/storage-engine.js';
import type { CommandSpec } from '../context.js';
import { collectionName } from '../args.js';
import { validateCollectionName, validateDatabaseName } from '../namespace.js';

function scaleOf(value: unknown): number {
  if (value === undefined) return 1;
  const scale = isNumber(value) ? Math.trunc(toDouble(value)) : NaN;
  if (!(scale >= 1)) throw new MongoError('BadValue', 'Scale factor must be greater than zero');
  return scale;
}

function average(entry: { count: number; dataSize: number }): number {
  return entry.count === 0 ? 0 : Math.floor(entry.dataSize / entry.count);
}

export const dbStatsCommand: CommandSpec = {
  name: 'dbStats',
  help: 'Returns sizes and counts for a database.',
  handler: ({ server, request }) => {
    validateDatabaseName(request.database);
    const scale = scaleOf(request.body.scale);
    const entries = server.storage.collections(request.database);
    const objects = sum(entries.map((entry) => entry.count));
    const dataSize = sum(entries.map((entry) => entry.dataSize));
    const indexes = sum(entries.map((entry) => entry.indexes.length));
    const indexSize = sum(
      entries.flatMap((entry) =>
        entry.indexes.map((index) => server.storage.indexSizeBytes(index)),
      ),
    );
    const fs = statfsSync(server.options.dbPath);
    return {
      db: request.database,
      collections: Long.fromNumber(entries.length),
      views: Long.fromNumber(0),
      objects: Long.fromNumber(objects),
      avgObjSize: new Double(objects === 0 ? 0 : dataSize / objects),
      dataSize: new Double(dataSize / scale),
      storageSize: new Double(dataSize / scale),
      indexes: Long.fromNumber(indexes),
      indexSize: new Double(indexSize / scale),
      totalSize: new Double((dataSize + indexSize) / scale),
      scaleFactor: Long.fromNumber(scale),
      fsUsedSize: new Double(((fs.blocks - fs.bfree) * fs.bsize) / scale),
      fsTotalSize: new Double((fs.blocks * fs.bsize) / scale),
      ok: 1,
    };
  },
};

function indexSizes(storage: StorageEngine, entry: CollectionEntry): Record<string, number> {
  return Object.fromEntries(
    entry.indexes.map((index) => [index.name, storage.indexSizeBytes(index)]),
  );
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

export const collStatsCommand: CommandSpec = {
  name: 'collStats',
  help: 'Returns sizes and counts for a collection.',
  handler: ({ server, request }) => {
    const namespace = validateCollectionName(
      request.database,
      collectionName('collStats', request.body),
    );
    const scale = scaleOf(request.body.scale);
    const entry = server.storage.collection(namespace);
    if (entry === undefined)
      throw new MongoError('NamespaceNotFound', `Collection [${namespace}] not found.`);
    const sizes = indexSizes(server.storage, entry);
    const totalIndexSize = sum(Object.values(sizes));
    return {
      ns: namespace,
      size: new Int32(Math.floor(entry.dataSize / scale)),
      count: new Int32(entry.count),
      avgObjSize: new Int32(average(entry)),
      storageSize: new Int32(Math.floor(entry.dataSize / scale)),
      freeStorageSize: new Int32(0),
      capped: false,
      nindexes: new Int32(entry.indexes.length),
      indexDetails: {},
      indexBuilds: [],
      totalIndexSize: Math.floor(totalIndexSize / scale),
      totalSize: Math.floor((entry.dataSize + totalIndexSize) / scale),
      indexSizes: Object.fromEntries(
        Object.entries(sizes).map(([name, size]) => [name, Math.floor(size / scale)]),
      ),
      scaleFactor: new Int32(scale),
      ok: 1,
    };
  },
};
