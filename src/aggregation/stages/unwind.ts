/**
 * $unwind (DocumentSourceUnwind's Unwinder): one output per element of the array at the
 * path, which is read without array traversal. A non-array value passes through as is;
 * null, missing and empty arrays are dropped unless preserveNullAndEmptyArrays, in which
 * case an empty array's field is removed. includeArrayIndex gets the index as a long, or
 * null when the value did not come from an array.
 */
import { Long } from 'bson';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { typeNameOf } from '../../query/describe.js';
import { validateFieldPath } from '../../query/field-path.js';
import type { PlanStage, StageResult } from '../../query/exec/plan-stage.js';
import {
  UnaryStage,
  documentOf,
  memberFromDocument,
  needYield,
} from '../../query/exec/plan-stage.js';
import type { StageDefinition } from '../pipeline-context.js';
import { nestedField, withPath } from './stage-support.js';

export interface UnwindSpec {
  readonly path: string[];
  readonly includeArrayIndex: string[] | undefined;
  readonly preserveNullAndEmptyArrays: boolean;
}

export class UnwindDefinition implements StageDefinition {
  readonly name = '$unwind';
  readonly constraints = {};

  constructor(readonly spec: UnwindSpec) {}

  explain(): BsonDocument {
    const out: BsonDocument = { path: `$${this.spec.path.join('.')}` };
    if (this.spec.includeArrayIndex !== undefined)
      out.includeArrayIndex = this.spec.includeArrayIndex.join('.');
    if (this.spec.preserveNullAndEmptyArrays) out.preserveNullAndEmptyArrays = true;
    return { $unwind: out };
  }

  instantiate(input: PlanStage): PlanStage {
    return new UnwindStage(input, this.spec);
  }
}

export class UnwindStage extends UnaryStage {
  readonly stageName = 'UNWIND';
  private doc: BsonDocument | undefined;
  private array: BsonValue[] | undefined;
  private index = 0;

  constructor(
    child: PlanStage,
    private readonly spec: UnwindSpec,
  ) {
    super(child);
  }

  private output(doc: BsonDocument, index: number | undefined): StageResult {
    const indexPath = this.spec.includeArrayIndex;
    const out =
      indexPath === undefined
        ? doc
        : withPath(doc, indexPath, index === undefined ? null : Long.fromNumber(index));
    this.returned++;
    return memberFromDocument(out);
  }

  next(): StageResult {
    for (;;) {
      const array = this.array;
      if (array !== undefined && this.doc !== undefined) {
        const index = this.index++;
        if (this.index >= array.length) this.array = undefined;
        return this.output(withPath(this.doc, this.spec.path, array[index]), index);
      }
      const member = this.child.next();
      if (member === undefined || member === needYield) return member;
      this.works++;
      const doc = documentOf(member);
      const value = nestedField(doc, this.spec.path);
      if (Array.isArray(value)) {
        if (value.length > 0) {
          this.doc = doc;
          this.array = value;
          this.index = 0;
          continue;
        }
        if (this.spec.preserveNullAndEmptyArrays)
          return this.output(withPath(doc, this.spec.path, undefined), undefined);
      } else if (value === null || value === undefined) {
        if (this.spec.preserveNullAndEmptyArrays) return this.output(doc, undefined);
      } else {
        return this.output(doc, undefined);
      }
    }
  }

  override isEOF(): boolean {
    return this.array === undefined && this.child.isEOF();
  }
}

function unwindPath(path: string): string[] {
  if (!path.startsWith('$')) {
    throw new MongoError(
      28818,
      `path option to $unwind stage should be prefixed with a '$': ${path}`,
    );
  }
  return validateFieldPath(path.slice(1));
}

function parseOptions(spec: BsonDocument): UnwindSpec {
  let path: string[] | undefined;
  let includeArrayIndex: string[] | undefined;
  let preserveNullAndEmptyArrays = false;
  for (const [name, value] of Object.entries(spec)) {
    if (name === 'path') {
      if (typeof value !== 'string') {
        throw new MongoError(
          28808,
          `expected a string as the path for $unwind stage, got ${typeNameOf(value)}`,
        );
      }
      path = unwindPath(value);
    } else if (name === 'includeArrayIndex') {
      if (typeof value !== 'string' || value.length === 0) {
        throw new MongoError(
          28810,
          `expected a non-empty string for the includeArrayIndex  option to $unwind stage, got ${typeNameOf(value)}`,
        );
      }
      if (value.startsWith('$')) {
        throw new MongoError(
          28822,
          `includeArrayIndex option to $unwind stage should not be prefixed with a '$': ${value}`,
        );
      }
      includeArrayIndex = validateFieldPath(value);
    } else if (name === 'preserveNullAndEmptyArrays') {
      if (typeof value !== 'boolean') {
        throw new MongoError(
          28809,
          `expected a boolean for the preserveNullAndEmptyArrays option to $unwind stage, got ${typeNameOf(value)}`,
        );
      }
      preserveNullAndEmptyArrays = value;
    } else {
      throw new MongoError(28811, `unrecognized option to $unwind stage: ${name}`);
    }
  }
  if (path === undefined) throw new MongoError(28812, 'no path specified to $unwind stage');
  return { path, includeArrayIndex, preserveNullAndEmptyArrays };
}

export function parseUnwind(spec: BsonValue): StageDefinition {
  if (typeof spec === 'string') {
    return new UnwindDefinition({
      path: unwindPath(spec),
      includeArrayIndex: undefined,
      preserveNullAndEmptyArrays: false,
    });
  }
  if (!isDocument(spec)) {
    throw new MongoError(
      15981,
      `expected either a string or an object as specification for $unwind stage, got ${typeNameOf(spec)}`,
    );
  }
  return new UnwindDefinition(parseOptions(spec));
}
