/**
 * The TTL monitor: every ttlMonitorSleepSecs it deletes documents whose TTL-indexed date
 * (the earliest, for an array) is older than expireAfterSeconds, scanning only the
 * expired range of each TTL index. Non-date values never expire, as in MongoDB.
 */
import { Long } from 'bson';
import type { BsonDocument, BsonValue } from '../bson/types.js';
import { deserialize } from 'bson';
import { decodeOptions } from '../bson/types.js';
import type { CollectionEntry, IndexEntry } from '../storage/catalog-entry.js';
import { deleteDocument } from '../storage/document-writes.js';
import { IndexScanStage } from '../query/exec/index-scan-stage.js';
import { keyRanges } from '../query/plan/key-ranges.js';
import { needYield } from '../query/exec/plan-stage.js';
import { getPathValues } from '../query/path.js';
import type { TimerHandle } from '../platform/timers.js';
import { yieldToEventLoop } from '../platform/timers.js';
import type { ServerState } from '../commands/context.js';

export const ttlMonitorSleepSecsDefault = 60;
/** Deletions per storage transaction, so a large expiry never holds the writer long. */
export const ttlDeleteBatchMax = 1000;

function expiredRecordIds(
  server: ServerState,
  entry: CollectionEntry,
  index: IndexEntry,
  cutoffMs: number,
): number[] {
  const interval = {
    low: new Date(-8.64e15),
    lowInclusive: true,
    high: new Date(cutoffMs),
    highInclusive: false,
  };
  const bounds = [[interval]];
  const { ranges, checkFields } = keyRanges(bounds, [index.fields[0]?.direction ?? 1]);
  const scan = new IndexScanStage(server.storage, entry, index, {
    ranges,
    direction: 1,
    bounds,
    checkFields,
    decodeKeys: false,
  });
  const ids: number[] = [];
  for (
    let member = scan.next();
    member !== undefined && ids.length < ttlDeleteBatchMax;
    member = scan.next()
  ) {
    if (member !== needYield) ids.push(member.recordId as number);
  }
  scan.saveState();
  return ids;
}

function isExpired(doc: BsonDocument, path: string, cutoffMs: number): boolean {
  return getPathValues(doc, path).some(
    ({ value }) => (value as BsonValue) instanceof Date && (value as Date).getTime() < cutoffMs,
  );
}

function expireIndex(server: ServerState, entry: CollectionEntry, index: IndexEntry): number {
  const expireMs = (index.expireAfterSeconds ?? 0) * 1000;
  const cutoffMs = server.clock.wallMs() - expireMs;
  const path = index.fields[0]?.path ?? '';
  const ids = expiredRecordIds(server, entry, index, cutoffMs);
  if (ids.length === 0) return 0;
  return server.storage.write(() => {
    let deleted = 0;
    for (const recordId of ids) {
      const raw = server.storage.getRecord(entry, recordId);
      if (raw === undefined) continue;
      const doc = deserialize(raw, decodeOptions);
      if (!isExpired(doc, path, cutoffMs)) continue;
      deleteDocument(server.storage, entry, recordId, raw, doc);
      deleted++;
    }
    return deleted;
  });
}

export class TtlMonitor {
  private timer: TimerHandle | undefined;
  private running = false;
  passes = 0;
  deletedDocuments = 0;

  constructor(private readonly server: ServerState) {}

  start(): void {
    this.schedule();
  }

  private sleepMs(): number {
    const value = this.server.parameters.get('ttlMonitorSleepSecs');
    const seconds =
      typeof value === 'object' && value !== null && 'value' in value
        ? Number(value.value)
        : ttlMonitorSleepSecsDefault;
    return Math.max(1, seconds) * 1000;
  }

  private schedule(): void {
    this.timer = this.server.timers.setTimeout(
      () => void this.pass().finally(() => this.schedule()),
      this.sleepMs(),
    );
  }

  /** One pass over every TTL index; exposed for tests. */
  async pass(): Promise<void> {
    if (this.running || this.server.parameters.get('ttlMonitorEnabled') === false) return;
    this.running = true;
    try {
      for (const entry of this.server.storage.collections()) {
        for (const index of entry.indexes.filter(
          (candidate) => candidate.expireAfterSeconds !== undefined && !candidate.building,
        )) {
          for (
            let deleted = expireIndex(this.server, entry, index);
            deleted > 0;
            deleted = expireIndex(this.server, entry, index)
          ) {
            this.deletedDocuments += deleted;
            this.server.log.info('INDEX', 5479200, 'Deleted expired documents using index', {
              namespace: entry.namespace,
              index: index.name,
              numDeleted: deleted,
            });
            await yieldToEventLoop();
          }
        }
      }
      this.passes++;
    } finally {
      this.running = false;
    }
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  counters(): { passes: Long; deletedDocuments: Long } {
    return {
      passes: Long.fromNumber(this.passes),
      deletedDocuments: Long.fromNumber(this.deletedDocuments),
    };
  }
}
