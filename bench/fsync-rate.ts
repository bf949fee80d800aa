/**
 * The disk's raw durable-write rate, the ceiling for one-fsync-per-commit designs: one thread
 * overwriting the same 4 KiB at the start of a preallocated file and calling fdatasync, as
 * pg_test_fsync does. Group commit shows as j:true inserts per second above this number.
 */
import { closeSync, fdatasyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '../src/platform/clock.js';
import type { Clock } from '../src/platform/clock.js';

export const fsyncBlockSize = 4096;

export interface FsyncRate {
  syncs: number;
  durationMs: number;
  perSecond: number;
}

/** Blocks the event loop for `durationMs`: run it when nothing else is being measured. */
export function measureFsyncRate(
  directory: string,
  durationMs: number,
  clock: Clock = systemClock,
): FsyncRate {
  const path = join(directory, 'fsync-probe');
  const block = Buffer.alloc(fsyncBlockSize, 0x5a);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, Buffer.alloc(fsyncBlockSize * 16));
    fdatasyncSync(fd);
    const start = clock.monotonicMs();
    let syncs = 0;
    let elapsed = 0;
    for (; elapsed < durationMs; elapsed = clock.monotonicMs() - start) {
      writeSync(fd, block, 0, fsyncBlockSize, 0);
      fdatasyncSync(fd);
      syncs++;
    }
    return { syncs, durationMs: elapsed, perSecond: (syncs * 1000) / elapsed };
  } finally {
    closeSync(fd);
    rmSync(path, { force: true });
  }
}
