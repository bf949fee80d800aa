/** FindCursor and CommandCursor entity operations (spec: Cursor Operations). */
import type { AbstractCursor } from 'mongodb';
import type { OperationHandler } from './test-state.js';

type CursorHandler = OperationHandler<AbstractCursor>;

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
