/**
 * Building new indexes over a collection's existing documents.
 *
 * A build must not freeze the server: a single transaction over a million documents holds
 * the only JavaScript thread for seconds, and every client (and, in a replica set, every
 * heartbeat) waits. So, like mongod's hybrid builds, the index enters the catalog at once,
 * marked `building`: writers maintain it from then on, the planner and the TTL monitor
 * ignore it, and the builder walks the records in recordId order, a batch per storage
 * transaction, yielding between batches. Putting a key twice is harmless (the same entry),
 * and a writer removing a key the builder has not reached yet is allowed only while the
 * index is building, so every record ends up indexed exactly once whichever comes first.
 *
 * A unique index checks writers' keys against what it holds so far: a write that would
 * duplicate an indexed key fails with 11000 as if the index were finished (mongod accepts
 * it and fails the build at commit instead), and a duplicate the builder meets fails the
 * build. Either way, a finished unique index is unique.
 */
import { deserialize } from 'bson';
import type { BsonDocument } from '../../bson/types.js';
import { decodeOptions } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { yieldToEventLoop } from '../../platform/timers.js';
import type { CollectionEntry, IndexEntry } from '../../storage/catalog-entry.js';
import { indexDocument } from '../../storage/document-writes.js';
import type { StorageEngine } from '../../storage/storage-engine.js';
import type { CommandContext } from '../context.js';
import { ensureCollection } from '../crud/ensure-collection.js';
import { interruptCheck } from '../interrupt.js';

export const indexesPerCollectionMax = 64;

/** Documents indexed per storage transaction before the build lets other clients in. */
export const buildBatchDocuments = 1000;

/** Builds in progress, so a createIndexes asking for the same index can wait for it. */
const inProgress = new WeakMap<IndexEntry, Promise<void>>();

/** Settles when the index's build does (at once if it is not being built). */
export async function indexBuildSettled(index: IndexEntry): Promise<void> {
  await inProgress.get(index)?.catch(() => undefined);
}

function checkIndexCount(entry: CollectionEntry, adding: number): void {
  if (entry.indexes.length + adding > indexesPerCollectionMax) {
    throw new MongoError(
      'CannotCreateIndex',
      `add index fails, too many indexes for ${entry.namespace}`,
    );
  }
}

/** Indexes a batch of records after `afterRecordId`; undefined when none were left. */
function indexBatch(
  storage: StorageEngine,
  entry: CollectionEntry,
  indexes: readonly IndexEntry[],
  afterRecordId: number | undefined,
): number | undefined {
  let last: number | undefined;
  let count = 0;
  for (const { recordId, raw } of storage.scanRecords(entry, { afterRecordId })) {
    const doc = deserialize(raw, decodeOptions);
    for (const index of indexes) indexDocument(storage, entry, index, recordId, doc);
    last = recordId;
    if (++count >= buildBatchDocuments) break;
  }
  return last;
}

function stillWanted(
  storage: StorageEngine,
  entry: CollectionEntry,
  indexes: readonly IndexEntry[],
): boolean {
  return (
    storage.collection(entry.namespace) === entry &&
    indexes.every((index) => entry.indexes.includes(index))
  );
}

async function runBuild(
  context: CommandContext,
  entry: CollectionEntry,
  indexes: readonly IndexEntry[],
): Promise<void> {
  const storage = context.server.storage;
  const checkInterrupt = interruptCheck(context);
  let after: number | undefined;
  try {
    for (;;) {
      await yieldToEventLoop();
      checkInterrupt();
      const finished = storage.write(() => {
        if (!stillWanted(storage, entry, indexes)) {
          throw new MongoError(
            'IndexBuildAborted',
            `Index build aborted: ${indexes.map((index) => index.name).join(', ')} on ${entry.namespace}: the collection or index was dropped during the build`,
          );
        }
        const last = indexBatch(storage, entry, indexes, after);
        if (last !== undefined) {
          after = last;
          return false;
        }
        for (const index of indexes) storage.finishIndexBuild(entry, index);
        return true;
      });
      if (finished) return;
    }
  } catch (error) {
    try {
      storage.write(() => {
        if (storage.collection(entry.namespace) !== entry) return;
        for (const index of indexes)
          if (entry.indexes.includes(index)) storage.removeIndex(entry, index);
      });
    } catch {
      // The store is closing (shutdown): the next startup drops the unfinished build.
    }
    throw error;
  }
}

/** Adds `specs` to the collection (creating it if needed) and indexes its documents. */
export async function buildIndexes(
  context: CommandContext,
  namespace: string,
  specs: readonly BsonDocument[],
): Promise<CollectionEntry> {
  const storage = context.server.storage;
  if (specs.length === 0)
    return storage.write(
      () => storage.collection(namespace) ?? ensureCollection(context, namespace),
    );
  const { entry, indexes } = storage.write(() => {
    const entry = storage.collection(namespace) ?? ensureCollection(context, namespace);
    checkIndexCount(entry, specs.length);
    const indexes = specs.map((spec) => storage.addIndex(entry, spec, { building: true }));
    return { entry, indexes };
  });
  const build = runBuild(context, entry, indexes);
  for (const index of indexes) inProgress.set(index, build);
  await build;
  return entry;
}

/**
 * Adds an index and indexes every record in the caller's storage write, for callers that
 * need the index at once and serve no one meanwhile (the planner's test harness).
 */
export function buildIndex(
  storage: StorageEngine,
  entry: CollectionEntry,
  spec: BsonDocument,
): IndexEntry {
  const index = storage.addIndex(entry, spec);
  let after: number | undefined;
  do after = indexBatch(storage, entry, [index], after);
  while (after !== undefined);
  return index;
}
