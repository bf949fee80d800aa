/**
 * Temporary files of spilling stages ($sort and $group with allowDiskUse), under the
 * server's dbPath/_tmp as mongod keeps them. A run is a file of concatenated BSON documents
 * (each starts with its own length, so no framing is needed), written once and read back
 * sequentially in large chunks. Every file belongs to one SpillArea, which deletes what is
 * left when the pipeline is disposed (cursor closed, command failed).
 */
import { closeSync, mkdirSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize } from 'bson';
import type { BsonDocument } from '../../../bson/types.js';
import { decodeOptions } from '../../../bson/types.js';
import { encodeDocument } from '../../../bson/serialize.js';
import type { Random } from '../../../platform/random.js';
import { assert } from '../../../util/assert.js';

/** Bytes buffered before a write, and read per chunk. */
const chunkBytes = 1024 * 1024;

/** Something holding a file descriptor, closed when the area is disposed. */
interface OpenFile {
  closeFile(): void;
}

export class SpillArea {
  private readonly files = new Set<string>();
  private readonly open = new Set<OpenFile>();
  private created = false;
  /** Runs written over the area's life, for explain's spill counts. */
  spills = 0;

  constructor(
    private readonly directory: string,
    private readonly random: Random,
  ) {}

  /** A new run file, open for writing. */
  createRun(): RunWriter {
    if (!this.created) {
      mkdirSync(this.directory, { recursive: true });
      this.created = true;
    }
    const path = join(this.directory, `agg-${this.random.bytes(8).toString('hex')}.run`);
    this.files.add(path);
    this.spills++;
    return new RunWriter(path, this);
  }

  /** Bookkeeping for RunWriter and RunReader. */
  opened(file: OpenFile): void {
    this.open.add(file);
  }

  closed(file: OpenFile): void {
    this.open.delete(file);
  }

  removed(path: string): void {
    rmSync(path, { force: true });
    this.files.delete(path);
  }

  /** Closes and deletes every file still present. Safe to call more than once. */
  dispose(): void {
    for (const file of this.open) file.closeFile();
    this.open.clear();
    for (const path of this.files) rmSync(path, { force: true });
    this.files.clear();
  }

  get fileCount(): number {
    return this.files.size;
  }
}

export class RunWriter {
  private fd: number | undefined;
  private readonly pending: Buffer[] = [];
  private pendingBytes = 0;
  documents = 0;
  bytes = 0;

  constructor(
    readonly path: string,
    private readonly area: SpillArea,
  ) {
    this.fd = openSync(path, 'w');
    area.opened(this);
  }

  closeFile(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  /** Appends one document, given as a document or as its BSON bytes. */
  write(doc: BsonDocument | Uint8Array): void {
    assert(this.fd !== undefined, 'write to a finished run');
    const bytes = doc instanceof Uint8Array ? doc : encodeDocument(doc);
    this.pending.push(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    this.pendingBytes += bytes.byteLength;
    this.documents++;
    this.bytes += bytes.byteLength;
    if (this.pendingBytes >= chunkBytes) this.flush();
  }

  private flush(): void {
    if (this.pendingBytes === 0 || this.fd === undefined) return;
    const data = Buffer.concat(this.pending, this.pendingBytes);
    let offset = 0;
    while (offset < data.length) offset += writeSync(this.fd, data, offset);
    this.pending.length = 0;
    this.pendingBytes = 0;
  }

  /** Closes the file and returns a reader over it; the reader deletes it when done. */
  finish(): RunReader {
    this.flush();
    assert(this.fd !== undefined, 'run finished twice');
    this.closeFile();
    this.area.closed(this);
    return new RunReader(this.path, this.documents, this.area);
  }
}

/** Reads a run front to back, one decoded document at a time. */
export class RunReader {
  private fd: number | undefined;
  private buffer = Buffer.alloc(0);
  private start = 0;
  private end = 0;
  private filePosition = 0;
  private remaining: number;
  private head: BsonDocument | undefined;

  constructor(
    readonly path: string,
    readonly documents: number,
    private readonly area: SpillArea,
  ) {
    this.remaining = documents;
    this.fd = openSync(path, 'r');
    area.opened(this);
    this.advance();
  }

  closeFile(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  /** The current document, or undefined at the end. */
  peek(): BsonDocument | undefined {
    return this.head;
  }

  /** Moves to the next document; at the end the file is closed and deleted. */
  advance(): void {
    if (this.remaining === 0) {
      this.head = undefined;
      this.close();
      return;
    }
    this.ensure(4);
    const length = this.buffer.readInt32LE(this.start);
    this.ensure(length);
    this.head = deserialize(this.buffer.subarray(this.start, this.start + length), decodeOptions);
    this.start += length;
    this.remaining--;
  }

  /** Makes `bytes` bytes available from `start`, reading more of the file as needed. */
  private ensure(bytes: number): void {
    if (this.end - this.start >= bytes) return;
    assert(this.fd !== undefined, 'read from a closed run');
    const size = Math.max(chunkBytes, bytes);
    const next = Buffer.allocUnsafe(size);
    const kept = this.end - this.start;
    this.buffer.copy(next, 0, this.start, this.end);
    let filled = kept;
    while (filled < bytes) {
      const read = readSync(this.fd, next, filled, size - filled, this.filePosition);
      assert(read > 0, `spill file ${this.path} ended early`);
      filled += read;
      this.filePosition += read;
    }
    this.buffer = next;
    this.start = 0;
    this.end = filled;
  }

  /** Closes and deletes the run. */
  close(): void {
    if (this.fd === undefined) return;
    this.closeFile();
    this.area.closed(this);
    this.area.removed(this.path);
  }
}
