/**
 * Query execution is a tree of pull-based stages, as in MongoDB's PlanStage: each
 * `next()` returns one member or undefined at the end. Between batches (getMore) a cursor
 * calls `saveState()` so no stage holds a storage iterator across the event loop; stages
 * resume from the position they remember.
 */
import { deserialize } from 'bson';
import type { BsonDocument } from '../../bson/types.js';
import { decodeOptions } from '../../bson/types.js';

/**
 * Returned by `next()` instead of a member when the stage has done a bounded amount of
 * work (MongoDB's NEED_YIELD): the caller lets the event loop run, then calls `next()`
 * again. Long scans and sorts therefore never freeze the other connections.
 */
export const needYield = Symbol('needYield');
export type StageResult = WorkingMember | undefined | typeof needYield;

/** Documents a scan examines between yields (internalQueryExecYieldIterations). */
export const yieldIterations = 1000;

/** A document flowing through the plan, decoded only when a stage needs its fields. */
export interface WorkingMember {
  recordId: number | undefined;
  /** The stored bytes, while the document is unchanged. */
  raw: Buffer | undefined;
  doc: BsonDocument | undefined;
  /** The array index a positional match used (for the `$` projection). */
  arrayIndex?: number | undefined;
  /** The index key this member was found by, for returnKey. */
  indexKey?: BsonDocument | undefined;
}

export function memberFromRecord(recordId: number, raw: Buffer): WorkingMember {
  return { recordId, raw, doc: undefined };
}

export function memberFromDocument(doc: BsonDocument): WorkingMember {
  return { recordId: undefined, raw: undefined, doc };
}

export function documentOf(member: WorkingMember): BsonDocument {
  if (member.doc === undefined) {
    member.doc = deserialize(member.raw as Buffer, decodeOptions);
  }
  return member.doc;
}

export interface StageStats {
  stage: string;
  nReturned: number;
  works: number;
  docsExamined?: number;
  keysExamined?: number;
  details?: BsonDocument;
  children: StageStats[];
}

export interface PlanStage {
  readonly stageName: string;
  next(): StageResult;
  /**
   * True once the stage knows it will return nothing more, without doing more work; a
   * cursor whose plan is not yet EOF stays open, which is why MongoDB sometimes answers a
   * final getMore with an empty batch.
   */
  isEOF(): boolean;
  /** Release storage iterators; the next `next()` resumes where this stage left off. */
  saveState(): void;
  stats(): StageStats;
}

/** A stage with one child, passing saveState through. */
export abstract class UnaryStage implements PlanStage {
  abstract readonly stageName: string;
  protected returned = 0;
  protected works = 0;

  constructor(protected readonly child: PlanStage) {}

  abstract next(): StageResult;

  /**
   * For blocking stages (sorts, groups): hands every remaining input member to `take`,
   * counting works. False when the child asked to yield (call again to resume), true once
   * it is exhausted.
   */
  protected consumeChild(take: (member: WorkingMember) => void): boolean {
    for (;;) {
      const member = this.child.next();
      if (member === needYield) return false;
      if (member === undefined) return true;
      this.works++;
      take(member);
    }
  }

  saveState(): void {
    this.child.saveState();
  }

  isEOF(): boolean {
    return this.child.isEOF();
  }

  protected details(): BsonDocument | undefined {
    return undefined;
  }

  stats(): StageStats {
    const details = this.details();
    return {
      stage: this.stageName,
      nReturned: this.returned,
      works: this.works,
      ...(details === undefined ? {} : { details }),
      children: [this.child.stats()],
    };
  }
}
