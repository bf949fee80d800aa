/** FindCursor, CommandCursor and ChangeStream entity operations (spec: Cursor Operations). */
import type { ChangeStream, ChangeStreamOptions, Document } from 'mongodb';
import type { Arguments } from './arguments.js';
import type { Entity } from './entities.js';
import { RunnerError } from './runner-error.js';
import type { OperationHandler, OperationResult } from './test-state.js';

/** What the iteration operations need from a cursor or a change stream. */
interface Iterable {
  next(): Promise<unknown>;
  tryNext(): Promise<unknown>;
  close(): Promise<void>;
}

type CursorHandler = OperationHandler<Iterable>;

interface Watchable {
  watch(pipeline: Document[], options: ChangeStreamOptions): ChangeStream;
}

/**
 * createChangeStream: the aggregate must have run before the stream is saved, without
 * iterating it (spec: createChangeStream). The driver only opens the cursor on the first
 * iteration, so this calls the cursor's initialisation directly, as the driver's own
 * runner does.
 */
export async function createChangeStream(
  target: Watchable,
  args: Arguments,
): Promise<OperationResult> {
  const pipeline = (args.take('pipeline') as Document[] | undefined) ?? [];
  const stream = target.watch(pipeline, args.options());
  const cursor = (stream as unknown as { cursor?: { cursorInit?: () => Promise<void> } }).cursor;
  if (typeof cursor?.cursorInit !== 'function')
    throw new RunnerError('the driver no longer exposes cursorInit');
  await cursor.cursorInit();
  const entity: Entity = { kind: 'changeStream', value: stream };
  return { entity };
}

export const cursorOperations: Record<string, CursorHandler> = {
  async iterateUntilDocumentOrError(cursor) {
    // next() waits for a document (getMore as needed) and raises the cursor's error.
    return { value: await cursor.next() };
  },
  async iterateOnce(cursor) {
    // tryNext() sends at most one getMore when the batch is empty.
    return { value: await cursor.tryNext() };
  },
  async close(cursor) {
    // killCursors errors are suppressed; tests check them through command events.
    await cursor.close().catch(() => undefined);
    return {};
  },
};
