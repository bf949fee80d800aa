/**
 * The small ordered key-value interface the storage engine is built on. Keys are byte
 * strings compared with memcmp; every write happens inside `write`, which is atomic and
 * synchronous (lmdb has one writer, and a synchronous transaction never spans an await,
 * so no other operation can interleave with it).
 */
export interface KvEntry {
  key: Buffer;
  value: Buffer;
}

export interface KvRange {
  /** Inclusive lower bound (upper bound when reverse). */
  start?: Buffer;
  /** Exclusive upper bound (lower bound when reverse). */
  end?: Buffer;
  reverse?: boolean;
  limit?: number;
}

export interface KvStore {
  get(key: Buffer): Buffer | undefined;
  range(range: KvRange): Iterable<KvEntry>;
  /** Only inside `write`. */
  put(key: Buffer, value: Buffer): void;
  /** Only inside `write`. Returns whether the key existed. */
  remove(key: Buffer): boolean;
  /** Runs `fn` in one atomic transaction; a throw aborts every write it made. */
  write<T>(fn: () => T): T;
  /** Resolves once every write committed before the call is on stable storage. */
  sync(): Promise<void>;
  close(): Promise<void>;
  /** Bytes the store occupies on disk. */
  sizeOnDisk(): number;
}
