/**
 * The storage engine: catalog, record store and index entries in one ordered keyspace
 * (see keys.ts). Every mutation runs inside `write`, one atomic lmdb transaction; the
 * in-memory catalog and counters are undone if the transaction aborts, so memory and disk
 * never disagree.
 */
import { rmSync } from 'node:fs';
import { Binary, deserialize } from 'bson';
import type { BsonDocument } from '../bson/types.js';
import { decodeOptions } from '../bson/types.js';
import { encodeDocument } from '../bson/serialize.js';
import type { Random } from '../platform/random.js';
import { assert } from '../util/assert.js';
import { MongoError } from '../errors/mongo-error.js';
import type { KvStore } from './kv-store.js';
import { LmdbKvStore } from './lmdb-kv-store.js';
import {
  KeyPrefix,
  catalogKey,
  idPrefix,
  prefixRange,
  readUint64,
  recordIdOfKey,
  recordKey,
  recordRange,
  writeUint64,
} from './keys.js';
import type { CollectionEntry, IndexEntry } from './catalog-entry.js';
import {
  decodeCatalogEntry,
  encodeCatalogEntry,
  idIndexSpec,
  makeIndexEntry,
  splitNamespace,
} from './catalog-entry.js';

export interface StorageOptions {
  directory: string;
  /** In-memory mode: no fsync, and the directory is removed on close. */
  ephemeral: boolean;
  random: Random;
}

const metaCountersKey = Buffer.from([KeyPrefix.meta, 0x01]);

export interface StoredRecord {
  recordId: number;
  raw: Buffer;
}

export class StorageEngine {
  private readonly catalog = new Map<string, CollectionEntry>();
  private nextCollectionId = 1;
  private nextIndexId = 1;
  private undo: (() => void)[] | undefined;
  private readonly dirtyStats = new Set<CollectionEntry>();

  private constructor(
    readonly kv: KvStore,
    private readonly options: StorageOptions,
  ) {
    this.load();
  }

  static open(options: StorageOptions): StorageEngine {
    const kv = new LmdbKvStore({ directory: options.directory, ephemeral: options.ephemeral });
    return new StorageEngine(kv, options);
  }

  private load(): void {
    const counters = this.kv.get(metaCountersKey);
    if (counters !== undefined) {
      this.nextCollectionId = counters.readUInt32BE(0);
      this.nextIndexId = counters.readUInt32BE(4);
    }
    for (const { value } of this.kv.range(prefixRange(Buffer.from([KeyPrefix.catalog])))) {
      const entry = decodeCatalogEntry(deserialize(value, decodeOptions));
      const stats = this.kv.get(idPrefix(KeyPrefix.stats, entry.collectionId));
      if (stats !== undefined) {
        entry.count = readUint64(stats, 0);
        entry.dataSize = readUint64(stats, 8);
      }
      const records = recordRange(entry.collectionId);
      // lmdb's reverse ranges run from start down to end.
      for (const { key } of this.kv.range({
        start: records.end,
        end: records.start,
        reverse: true,
        limit: 1,
      })) {
        entry.nextRecordId = recordIdOfKey(key) + 1;
      }
      this.catalog.set(entry.namespace, entry);
    }
  }

  // ---- transactions

  /** Runs `fn` atomically; on a throw, disk and the in-memory catalog are both rolled back. */
  write<T>(fn: () => T): T {
    assert(this.undo === undefined, 'nested StorageEngine.write');
    const undo: (() => void)[] = [];
    this.undo = undo;
    try {
      return this.kv.write(() => {
        const result = fn();
        this.flushStats();
        return result;
      });
    } catch (error) {
      for (let i = undo.length - 1; i >= 0; i--) (undo[i] as () => void)();
      this.dirtyStats.clear();
      throw error;
    } finally {
      this.undo = undefined;
    }
  }

  get inWrite(): boolean {
    return this.undo !== undefined;
  }

  private onAbort(action: () => void): void {
    assert(this.undo !== undefined, 'catalog change outside a write');
    this.undo.push(action);
  }

  private flushStats(): void {
    for (const entry of this.dirtyStats) {
      if (!this.catalog.has(entry.namespace)) continue;
      const stats = Buffer.allocUnsafe(16);
      writeUint64(stats, 0, entry.count);
      writeUint64(stats, 8, entry.dataSize);
      this.kv.put(idPrefix(KeyPrefix.stats, entry.collectionId), stats);
    }
    this.dirtyStats.clear();
  }

  /** Resolves once every committed write is on stable storage (group commit). */
  sync(): Promise<void> {
    return this.kv.sync();
  }

  async close(): Promise<void> {
    await this.kv.close();
    if (this.options.ephemeral) rmSync(this.options.directory, { recursive: true, force: true });
  }

  sizeOnDisk(): number {
    return this.kv.sizeOnDisk();
  }

  // ---- catalog

  collection(namespace: string): CollectionEntry | undefined {
    return this.catalog.get(namespace);
  }

  collections(database?: string): CollectionEntry[] {
    const all = [...this.catalog.values()];
    return database === undefined ? all : all.filter((entry) => entry.database === database);
  }

  databases(): string[] {
    return [...new Set([...this.catalog.values()].map((entry) => entry.database))].sort();
  }

  private saveCounters(): void {
    const counters = Buffer.allocUnsafe(8);
    counters.writeUInt32BE(this.nextCollectionId, 0);
    counters.writeUInt32BE(this.nextIndexId, 4);
    this.kv.put(metaCountersKey, counters);
  }

  private saveEntry(entry: CollectionEntry): void {
    this.kv.put(catalogKey(entry.namespace), encodeDocument(encodeCatalogEntry(entry)));
  }

  createCollection(namespace: string, options: BsonDocument): CollectionEntry {
    if (this.catalog.has(namespace)) {
      throw new MongoError('NamespaceExists', `Collection ${namespace} already exists.`);
    }
    const { database, name } = splitNamespace(namespace);
    const collectionId = this.nextCollectionId++;
    const uuidBytes = this.options.random.bytes(16);
    uuidBytes[6] = ((uuidBytes[6] as number) & 0x0f) | 0x40;
    uuidBytes[8] = ((uuidBytes[8] as number) & 0x3f) | 0x80;
    const entry: CollectionEntry = {
      namespace,
      database,
      name,
      collectionId,
      uuid: new Binary(uuidBytes, Binary.SUBTYPE_UUID),
      options,
      indexes: [],
      count: 0,
      dataSize: 0,
      nextRecordId: 1,
    };
    if (options.autoIndexId !== false)
      entry.indexes.push(makeIndexEntry(this.nextIndexId++, idIndexSpec()));
    this.catalog.set(namespace, entry);
    this.onAbort(() => this.catalog.delete(namespace));
    this.saveCounters();
    this.saveEntry(entry);
    return entry;
  }

  dropCollection(namespace: string): boolean {
    const entry = this.catalog.get(namespace);
    if (entry === undefined) return false;
    this.removeRange(recordRange(entry.collectionId));
    for (const index of entry.indexes)
      this.removeRange(prefixRange(idPrefix(KeyPrefix.index, index.indexId)));
    this.kv.remove(idPrefix(KeyPrefix.stats, entry.collectionId));
    this.kv.remove(catalogKey(namespace));
    this.catalog.delete(namespace);
    this.onAbort(() => this.catalog.set(namespace, entry));
    return true;
  }

  renameCollection(from: string, to: string): void {
    const entry = this.catalog.get(from);
    assert(entry !== undefined && !this.catalog.has(to), 'rename preconditions');
    const previous = { ...entry };
    this.kv.remove(catalogKey(from));
    this.catalog.delete(from);
    const { database, name } = splitNamespace(to);
    Object.assign(entry, { namespace: to, database, name });
    this.catalog.set(to, entry);
    this.onAbort(() => {
      this.catalog.delete(to);
      Object.assign(entry, previous);
      this.catalog.set(from, entry);
    });
    this.saveEntry(entry);
  }

  updateOptions(entry: CollectionEntry, options: BsonDocument): void {
    const previous = entry.options;
    entry.options = options;
    this.onAbort(() => (entry.options = previous));
    this.saveEntry(entry);
  }

  /** Adds an index to the catalog; the caller fills its entries from existing records. */
  addIndex(
    entry: CollectionEntry,
    spec: BsonDocument,
    state: { building?: boolean } = {},
  ): IndexEntry {
    const index = makeIndexEntry(this.nextIndexId++, spec, state);
    entry.indexes.push(index);
    this.onAbort(() => (entry.indexes = entry.indexes.filter((other) => other !== index)));
    this.saveCounters();
    this.saveEntry(entry);
    return index;
  }

  /** Records that an index became multikey or holds long keys (never reverts). */
  setIndexFlags(
    entry: CollectionEntry,
    index: IndexEntry,
    flags: { multikey: boolean; longKeys: boolean },
  ): void {
    const previous = { multikey: index.multikey, longKeys: index.longKeys };
    Object.assign(index, flags);
    this.onAbort(() => Object.assign(index, previous));
    this.saveEntry(entry);
  }

  /** Removes the indexes whose builds a crash or shutdown interrupted; names them. */
  dropUnfinishedIndexBuilds(): { namespace: string; index: string }[] {
    const unfinished = [...this.catalog.values()].flatMap((entry) =>
      entry.indexes.filter((index) => index.building).map((index) => ({ entry, index })),
    );
    if (unfinished.length === 0) return [];
    this.write(() => {
      for (const { entry, index } of unfinished) this.removeIndex(entry, index);
    });
    return unfinished.map(({ entry, index }) => ({
      namespace: entry.namespace,
      index: index.name,
    }));
  }

  /** An index build has indexed every record: the planner may use it from now on. */
  finishIndexBuild(entry: CollectionEntry, index: IndexEntry): void {
    assert(index.building, `index ${index.name} is not being built`);
    index.building = false;
    this.onAbort(() => (index.building = true));
    this.saveEntry(entry);
  }

  /** Changes an index's spec (collMod: hidden, expireAfterSeconds). */
  updateIndexSpec(entry: CollectionEntry, index: IndexEntry, spec: BsonDocument): void {
    const previous = { ...index };
    Object.assign(
      index,
      makeIndexEntry(index.indexId, spec, {
        multikey: index.multikey,
        longKeys: index.longKeys,
        building: index.building,
      }),
    );
    this.onAbort(() => Object.assign(index, previous));
    this.saveEntry(entry);
  }

  removeIndex(entry: CollectionEntry, index: IndexEntry): void {
    this.removeRange(prefixRange(idPrefix(KeyPrefix.index, index.indexId)));
    const previous = entry.indexes;
    entry.indexes = entry.indexes.filter((other) => other !== index);
    this.onAbort(() => (entry.indexes = previous));
    this.saveEntry(entry);
  }

  /**
   * Bytes of an index's entries. It scans the index, so it costs O(entries); stats
   * commands are rare enough that exact beats a maintained estimate.
   */
  indexSizeBytes(index: IndexEntry): number {
    let bytes = 0;
    for (const { key, value } of this.kv.range(
      prefixRange(idPrefix(KeyPrefix.index, index.indexId)),
    )) {
      bytes += key.length + value.length;
    }
    return bytes;
  }

  private removeRange(range: { start: Buffer; end: Buffer }): void {
    const keys: Buffer[] = [];
    for (const { key } of this.kv.range(range)) keys.push(key);
    for (const key of keys) this.kv.remove(key);
  }

  // ---- records

  getRecord(entry: CollectionEntry, recordId: number): Buffer | undefined {
    return this.kv.get(recordKey(entry.collectionId, recordId));
  }

  /** Records in recordId order, resuming after `afterRecordId` when given. */
  *scanRecords(
    entry: CollectionEntry,
    options: { afterRecordId?: number; reverse?: boolean } = {},
  ): Iterable<StoredRecord> {
    const range = recordRange(entry.collectionId);
    const after = options.afterRecordId;
    const kvRange = options.reverse
      ? {
          start: after === undefined ? range.end : recordKey(entry.collectionId, after),
          end: range.start,
          reverse: true,
        }
      : {
          start: after === undefined ? range.start : recordKey(entry.collectionId, after + 1),
          end: range.end,
        };
    for (const { key, value } of this.kv.range(kvRange)) {
      const recordId = recordIdOfKey(key);
      if (options.reverse && recordId === after) continue;
      yield { recordId, raw: value };
    }
  }

  insertRecord(entry: CollectionEntry, raw: Buffer): number {
    assert(this.inWrite, 'insertRecord outside a write');
    this.markDirty(entry);
    const recordId = entry.nextRecordId++;
    this.kv.put(recordKey(entry.collectionId, recordId), raw);
    this.adjustStats(entry, 1, raw.length);
    return recordId;
  }

  updateRecord(entry: CollectionEntry, recordId: number, oldRaw: Buffer, newRaw: Buffer): void {
    this.kv.put(recordKey(entry.collectionId, recordId), newRaw);
    this.adjustStats(entry, 0, newRaw.length - oldRaw.length);
  }

  deleteRecord(entry: CollectionEntry, recordId: number, oldRaw: Buffer): void {
    const existed = this.kv.remove(recordKey(entry.collectionId, recordId));
    assert(existed, 'deleting a missing record');
    this.adjustStats(entry, -1, -oldRaw.length);
  }

  private adjustStats(entry: CollectionEntry, countDelta: number, sizeDelta: number): void {
    this.markDirty(entry);
    entry.count += countDelta;
    entry.dataSize += sizeDelta;
  }

  /** The first change to a collection's counters in a write remembers how to undo it. */
  private markDirty(entry: CollectionEntry): void {
    if (this.dirtyStats.has(entry)) return;
    const { count, dataSize, nextRecordId } = entry;
    this.dirtyStats.add(entry);
    this.onAbort(() => Object.assign(entry, { count, dataSize, nextRecordId }));
  }
}
