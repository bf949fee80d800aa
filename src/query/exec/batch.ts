/**
 * Filling a cursor batch: up to `batchSize` documents and at most 16 MiB of them, always
 * at least one document so a large document can never stall a cursor.
 */
import { RawBson } from '../../bson/raw.js';
import type { PlanStage, WorkingMember } from './plan-stage.js';
import { needYield } from './plan-stage.js';
import { yieldToEventLoop } from '../../platform/timers.js';

export const batchBytesMax = 16 * 1024 * 1024;
/** find's first batch when the client gives no batchSize. */
export const firstBatchSizeDefault = 101;

export interface BatchSource {
  stage: PlanStage;
  render: (member: WorkingMember) => Uint8Array;
  pending: Uint8Array | undefined;
}

export interface Batch {
  documents: RawBson[];
  exhausted: boolean;
}

/**
 * Fills one batch. When the plan yields, the event loop runs before work resumes, and
 * `checkInterrupt` (maxTimeMS, killOp) gets a chance to stop the operation.
 */
export async function fillBatch(
  source: BatchSource,
  batchSize: number | undefined,
  checkInterrupt: () => void = () => {},
): Promise<Batch> {
  const documents: RawBson[] = [];
  let bytes = 0;
  const countMax = batchSize === undefined || batchSize === 0 ? Infinity : batchSize;
  while (documents.length < countMax) {
    let next = source.pending;
    source.pending = undefined;
    if (next === undefined) {
      const member = source.stage.next();
      if (member === needYield) {
        source.stage.saveState();
        await yieldToEventLoop();
        checkInterrupt();
        continue;
      }
      if (member === undefined) return { documents, exhausted: true };
      next = source.render(member);
    }
    if (documents.length > 0 && bytes + next.length > batchBytesMax) {
      source.pending = next;
      return { documents, exhausted: false };
    }
    bytes += next.length;
    documents.push(new RawBson(next));
  }
  return { documents, exhausted: source.pending === undefined && source.stage.isEOF() };
}
