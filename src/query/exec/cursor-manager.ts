/**
 * Open cursors. A cursor keeps its plan between getMores; an idle cursor is killed after
 * cursorTimeoutMillis (10 minutes, MongoDB's default) by a periodic reaper.
 */
import { Long } from 'bson';
import type { Clock } from '../../platform/clock.js';
import type { Random } from '../../platform/random.js';
import type { TimerHandle, Timers } from '../../platform/timers.js';
import { MongoError } from '../../errors/mongo-error.js';
import type { BsonDocument } from '../../bson/types.js';
import type { PlanStage, WorkingMember } from './plan-stage.js';

export const cursorTimeoutMsDefault = 10 * 60 * 1000;
export const cursorReapPeriodMs = 60 * 1000;

export interface Cursor {
  id: Long;
  namespace: string;
  stage: PlanStage;
  /** Turns a member into the bytes returned to the client. */
  render: (member: WorkingMember) => Uint8Array;
  /** A member taken from the plan that did not fit in the previous batch. */
  pending: Uint8Array | undefined;
  lastUsedMonotonicMs: number;
  connectionId: number;
  /** The logical session's id bytes (hex), when the cursor was opened in one. */
  sessionId: string | undefined;
  originatingCommand: BsonDocument;
  noCursorTimeout: boolean;
  inUse: boolean;
  nReturned: number;
  comment?: BsonDocument['comment'];
  /** Called once when the cursor is closed for any reason. */
  onClose?: () => void;
}

export class CursorManager {
  private readonly cursors = new Map<string, Cursor>();
  private reaper: TimerHandle | undefined;
  timeoutMs = cursorTimeoutMsDefault;

  constructor(
    private readonly clock: Clock,
    private readonly random: Random,
    timers: Timers,
  ) {
    this.reaper = timers.setInterval(() => this.reapIdle(), cursorReapPeriodMs);
  }

  /** A non-zero positive int64 that is not in use. */
  private newId(): Long {
    for (;;) {
      const bytes = this.random.bytes(8);
      bytes[7] = (bytes[7] as number) & 0x7f;
      const id = Long.fromBytesLE([...bytes]);
      if (!id.isZero() && !this.cursors.has(id.toString())) return id;
    }
  }

  open(
    cursor: Omit<Cursor, 'id' | 'lastUsedMonotonicMs' | 'inUse' | 'pending' | 'nReturned'>,
  ): Cursor {
    const full: Cursor = {
      ...cursor,
      id: this.newId(),
      lastUsedMonotonicMs: this.clock.monotonicMs(),
      inUse: false,
      pending: undefined,
      nReturned: 0,
    };
    this.cursors.set(full.id.toString(), full);
    return full;
  }

  /** The cursor for a getMore, checked against its namespace. */
  checkOut(id: Long, namespace: string): Cursor {
    const cursor = this.cursors.get(id.toString());
    if (cursor === undefined)
      throw new MongoError('CursorNotFound', `cursor id ${id.toString()} not found`);
    if (cursor.namespace !== namespace) {
      throw new MongoError(
        'Unauthorized',
        `Requested getMore on namespace '${namespace}', but cursor belongs to a different namespace ${cursor.namespace}`,
      );
    }
    if (cursor.inUse)
      throw new MongoError('OperationFailed', `cursor id ${id.toString()} is already in use`);
    cursor.inUse = true;
    return cursor;
  }

  checkIn(cursor: Cursor): void {
    cursor.inUse = false;
    cursor.lastUsedMonotonicMs = this.clock.monotonicMs();
    cursor.stage.saveState();
  }

  get(id: Long): Cursor | undefined {
    return this.cursors.get(id.toString());
  }

  kill(id: Long): boolean {
    const cursor = this.cursors.get(id.toString());
    if (cursor === undefined) return false;
    this.cursors.delete(id.toString());
    cursor.stage.saveState();
    cursor.onClose?.();
    return true;
  }

  all(): Cursor[] {
    return [...this.cursors.values()];
  }

  killWhere(predicate: (cursor: Cursor) => boolean): number {
    let killed = 0;
    for (const cursor of this.all()) if (predicate(cursor) && this.kill(cursor.id)) killed++;
    return killed;
  }

  reapIdle(): number {
    const now = this.clock.monotonicMs();
    return this.killWhere(
      (cursor) =>
        !cursor.inUse &&
        !cursor.noCursorTimeout &&
        now - cursor.lastUsedMonotonicMs > this.timeoutMs,
    );
  }

  close(): void {
    this.reaper?.cancel();
    this.reaper = undefined;
    this.killWhere(() => true);
  }
}
