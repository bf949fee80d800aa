/**
 * Pieces most stages share: a one-document-in, at-most-one-out plan stage, copy-on-write
 * nested field updates (stages never modify their input: a document may be shared by
 * $facet's pipelines or still be referenced by an earlier stage), and the server's integer
 * argument parsing.
 */
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument, isNumber } from '../../bson/types.js';
import { toDouble } from '../../bson/arith.js';
import { MongoError } from '../../errors/mongo-error.js';
import { describeValue } from '../../query/describe.js';
import type { PlanStage, StageResult } from '../../query/exec/plan-stage.js';
import {
  UnaryStage,
  documentOf,
  memberFromDocument,
  needYield,
} from '../../query/exec/plan-stage.js';
import { setField } from '../expressions/field-path.js';
import type { StageDefinition } from '../pipeline-context.js';

/**
 * A stage that maps each document by one compiled function ($project, $unset,
 * $addFields/$set, $replaceRoot/$replaceWith), explained as written.
 */
export class TransformDefinition implements StageDefinition {
  readonly constraints = {};

  constructor(
    readonly name: string,
    private readonly spec: BsonValue,
    private readonly stageName: string,
    private readonly apply: (doc: BsonDocument) => BsonDocument,
  ) {}

  explain(): BsonDocument {
    return { [this.name]: this.spec };
  }

  instantiate(input: PlanStage): PlanStage {
    return new TransformStage(input, this.stageName, this.apply);
  }
}

/** Maps each document to a new one, or drops it (undefined). */
export class TransformStage extends UnaryStage {
  constructor(
    child: PlanStage,
    readonly stageName: string,
    private readonly transform: (doc: BsonDocument) => BsonDocument | undefined,
  ) {
    super(child);
  }

  next(): StageResult {
    for (;;) {
      const member = this.child.next();
      if (member === undefined || member === needYield) return member;
      this.works++;
      const out = this.transform(documentOf(member));
      if (out === undefined) continue;
      this.returned++;
      return memberFromDocument(out);
    }
  }
}

/**
 * A copy of `doc` with `value` at the dotted path `parts` (MutableDocument::setNestedField):
 * documents along the way are copied, anything else on the way is replaced by a document.
 * `undefined` removes the last field.
 */
export function withPath(
  doc: BsonDocument,
  parts: readonly string[],
  value: BsonValue | undefined,
): BsonDocument {
  const out = { ...doc };
  const [first, ...rest] = parts as [string, ...string[]];
  if (rest.length === 0) {
    if (value === undefined) delete out[first];
    else setField(out, first, value);
    return out;
  }
  const existing = Object.hasOwn(doc, first) ? doc[first] : undefined;
  setField(out, first, withPath(isDocument(existing) ? existing : {}, rest, value));
  return out;
}

/** The value at a dotted path without array traversal (Document::getNestedField). */
export function nestedField(doc: BsonDocument, parts: readonly string[]): BsonValue | undefined {
  let current: BsonValue | undefined = doc;
  for (const part of parts) {
    if (!isDocument(current) || !Object.hasOwn(current, part)) return undefined;
    current = current[part];
  }
  return current;
}

const longMax = 2 ** 63;

/**
 * parseIntegerElementToNonNegativeLong: any numeric type with an integral value that fits
 * in an int64 and is not negative. Errors carry the stage's code and prefix.
 */
export function nonNegativeLong(
  value: BsonValue,
  name: string,
  code: number,
  prefix: string,
): number {
  const fail = (reason: string): MongoError => new MongoError(code, `${prefix}${reason}`);
  if (!isNumber(value)) throw fail(`Expected a number in: ${describeValue(name, value)}`);
  let number: number;
  if (value._bsontype === 'Long') {
    number = Number(value.toBigInt());
  } else {
    number = toDouble(value);
    if (Number.isNaN(number))
      throw fail(`Expected an integer, but found NaN in: ${describeValue(name, value)}`);
    if (number >= longMax || number < -longMax) {
      throw fail(`Cannot represent as a 64-bit integer: ${describeValue(name, value)}`);
    }
    if (!Number.isInteger(number)) throw fail(`Expected an integer: ${describeValue(name, value)}`);
  }
  if (number < 0) throw fail(`Expected a non-negative number in: ${describeValue(name, value)}`);
  return number;
}

/** Prefixes a parse error's message with the server's context ("Invalid $project"). */
export function withContext<T>(context: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof MongoError)) throw error;
    throw new MongoError(error.code, `${context} :: caused by :: ${error.message}`, error.extra);
  }
}
