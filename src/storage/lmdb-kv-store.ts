/**
 * KvStore on lmdb. Transactions commit without fsync (MDB_NOSYNC): a committed write is
 * in the kernel's page cache, so it survives SIGKILL of the process, and a crash leaves
 * lmdb's last committed meta page valid. Durability against power loss comes from
 * `sync()`, which fdatasyncs the data file; concurrent callers share one fsync (group
 * commit), which is how `j: true` writes are acknowledged.
 */
import { closeSync, fstatSync, fdatasync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { open } from 'lmdb';
import type { Database, RootDatabase } from 'lmdb';
import { assert } from '../util/assert.js';
import type { KvEntry, KvRange, KvStore } from './kv-store.js';

export interface LmdbKvOptions {
  directory: string;
  /** Skip fsync entirely: for the in-memory (test) mode in a temporary directory. */
  ephemeral: boolean;
}

const dataFileName = 'shoal.mdb';

export class LmdbKvStore implements KvStore {
  private readonly db: RootDatabase<Buffer, Buffer>;
  private readonly fd: number;
  private inWrite = false;
  /** The fsync in progress, and the one queued behind it (which later callers join). */
  private syncing: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(private readonly options: LmdbKvOptions) {
    mkdirSync(options.directory, { recursive: true });
    const path = join(options.directory, dataFileName);
    this.db = open<Buffer, Buffer>({
      path,
      noSync: true,
      encoding: 'binary',
      keyEncoding: 'binary',
      compression: false,
      cache: false,
    });
    this.fd = openSync(path, 'r');
  }

  get(key: Buffer): Buffer | undefined {
    return this.db.get(key);
  }

  *range(range: KvRange): Iterable<KvEntry> {
    const options: Parameters<Database<Buffer, Buffer>['getRange']>[0] = {};
    if (range.start !== undefined) options.start = range.start;
    if (range.end !== undefined) options.end = range.end;
    if (range.reverse) options.reverse = true;
    if (range.limit !== undefined) options.limit = range.limit;
    for (const { key, value } of this.db.getRange(options)) yield { key, value };
  }

  put(key: Buffer, value: Buffer): void {
    assert(this.inWrite, 'put outside a write transaction');
    this.db.putSync(key, value);
  }

  remove(key: Buffer): boolean {
    assert(this.inWrite, 'remove outside a write transaction');
    return this.db.removeSync(key);
  }

  write<T>(fn: () => T): T {
    assert(!this.inWrite, 'nested write transaction');
    this.inWrite = true;
    try {
      return this.db.transactionSync(fn);
    } finally {
      this.inWrite = false;
    }
  }

  sync(): Promise<void> {
    if (this.options.ephemeral) return Promise.resolve();
    // A caller arriving while an fsync runs cannot rely on it (its write may have landed
    // after the fsync started), so it joins the next one; all such callers share it.
    if (this.syncing === undefined) {
      this.syncing = this.fdatasync().finally(() => {
        this.syncing = undefined;
      });
      return this.syncing;
    }
    this.queued ??= this.syncing.then(() => {
      this.queued = undefined;
      return this.sync();
    });
    return this.queued;
  }

  private fdatasync(): Promise<void> {
    return new Promise((resolve, reject) => {
      fdatasync(this.fd, (error) => (error ? reject(error) : resolve()));
    });
  }

  sizeOnDisk(): number {
    return fstatSync(this.fd).size;
  }

  async close(): Promise<void> {
    await this.sync();
    await this.db.close();
    closeSync(this.fd);
  }
}
