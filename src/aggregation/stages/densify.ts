/**
 * $densify (DocumentSourceInternalDensify): after a sort on the partition fields and the
 * field (only the field for "full" bounds), missing steps of the field are generated as
 * documents holding just the partition fields and the field. Each partition remembers the
 * last value on its step ("current"); a document on the next step moves it, a document off
 * the step passes through, and a gap is filled from current + step up to the document.
 * Explicit bounds [lo, hi) are filled even without documents; "full" uses the global
 * minimum and maximum; "partition" each partition's own. Null or missing values pass through.
 */
import { Int32 } from 'bson';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument, isNumber } from '../../bson/types.js';
import { compareValues } from '../../bson/compare.js';
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
import { dateAdd, isTimeUnit } from '../expressions/date-units.js';
import type { TimeUnit } from '../expressions/date-units.js';
import { utcZone } from '../expressions/timezone.js';
import { formatValue, integral64 } from '../expressions/values.js';
import { valueKey } from '../expressions/value-key.js';
import type { ParseContext, StageDefinition } from '../pipeline-context.js';
import { BlockingSortStage } from './sort.js';
import { checkSpecFields } from './spec-fields.js';
import { nestedField, withPath } from './stage-support.js';
import { arithmetic } from './window/window-arith.js';

/** internalQueryMaxAllowedDensifyDocs. */
const generatedDocumentsMax = 500_000;

type Bounds = 'full' | 'partition' | [BsonValue, BsonValue];

interface DensifySpec {
  readonly field: string[];
  readonly partitions: string[][];
  readonly step: BsonValue;
  readonly unit: TimeUnit | undefined;
  readonly bounds: Bounds;
}

/** One partition's progress: the last value on the step, and the partition fields. */
interface PartitionState {
  current: BsonValue | undefined;
  readonly fields: BsonDocument;
}

export class DensifyDefinition implements StageDefinition {
  readonly name = '$densify';
  readonly constraints = {};

  constructor(
    private readonly raw: BsonDocument,
    readonly spec: DensifySpec,
    private readonly context: ParseContext,
  ) {}

  explain(): BsonDocument {
    return { $densify: this.raw };
  }

  instantiate(input: PlanStage): PlanStage {
    const sortSpec: BsonDocument = {};
    if (this.spec.bounds !== 'full')
      for (const path of this.spec.partitions) sortSpec[path.join('.')] = new Int32(1);
    sortSpec[this.spec.field.join('.')] = new Int32(1);
    const sorted = new BlockingSortStage(
      input,
      this.context.compiler.sort(sortSpec),
      this.context.environment,
      undefined,
    );
    return new DensifyStage(sorted, this.spec);
  }
}

class DensifyStage extends UnaryStage {
  readonly stageName = 'DENSIFY';
  private readonly states = new Map<string, PartitionState>();
  private readonly queue: BsonDocument[] = [];
  private generatedCount = 0;
  private globalMin: BsonValue | undefined;
  private globalMax: BsonValue | undefined;
  private finished = false;

  constructor(
    child: PlanStage,
    private readonly spec: DensifySpec,
  ) {
    super(child);
  }

  private increment(value: BsonValue, times = 1): BsonValue {
    if (value instanceof Date) {
      const amount = (integral64(this.spec.step) as bigint) * BigInt(times);
      return new Date(dateAdd(value.getTime(), this.spec.unit as TimeUnit, amount, utcZone));
    }
    let out: BsonValue = value;
    for (let i = 0; i < Math.abs(times); i++)
      out = arithmetic(times > 0 ? '$add' : '$subtract', out, this.spec.step);
    return out;
  }

  private densifyValue(doc: BsonDocument): BsonValue {
    const value = nestedField(doc, this.spec.field);
    if (!isNumber(value) && !(value instanceof Date)) {
      throw new MongoError(5733201, 'Densify field type must be numeric or a date');
    }
    if (this.spec.unit === undefined && value instanceof Date) {
      throw new MongoError(
        6053600,
        'Encountered date densify value in a numeric range; specify a unit to densify dates',
      );
    }
    if (this.spec.unit !== undefined && !(value instanceof Date)) {
      throw new MongoError(6053600, 'Encountered non-date densify value in a range with a unit');
    }
    return value;
  }

  /** Generated documents from `from` (included) while below `to`; returns the last one. */
  private fillRange(
    state: PartitionState,
    from: BsonValue,
    to: BsonValue,
    inclusive = false,
  ): BsonValue | undefined {
    let value = from;
    let last: BsonValue | undefined;
    while (compareValues(value, to) < 0 || (inclusive && compareValues(value, to) === 0)) {
      if (++this.generatedCount > generatedDocumentsMax) {
        throw new MongoError(
          5897900,
          `Generated ${this.generatedCount} documents in $densify, which is over the limit of ${generatedDocumentsMax}. Increase the 'internalQueryMaxAllowedDensifyDocs' parameter to allow more generated documents`,
        );
      }
      this.queue.push(withPath(state.fields, this.spec.field, value));
      last = value;
      value = this.increment(value);
    }
    return last;
  }

  /** A document of a partition already started: fill the gap before it (handleNeedGen). */
  private fillUpTo(state: PartitionState, value: BsonValue, limit: BsonValue | undefined): void {
    const current = state.current;
    const next = this.increment(current);
    if (compareValues(value, next) === 0) {
      state.current = value;
      return;
    }
    if (compareValues(value, next) < 0) return;
    const upper = limit !== undefined && compareValues(limit, value) < 0 ? limit : value;
    if (limit !== undefined && compareValues(next, limit) >= 0) {
      state.current = next;
      return;
    }
    const last = this.fillRange(state, next, upper);
    if (last !== undefined) state.current = last;
    if (compareValues(this.increment(state.current), value) === 0) state.current = value;
  }

  private process(doc: BsonDocument): void {
    const value = this.densifyValue(doc);
    const fields: BsonDocument = {};
    let partitioned: BsonDocument = fields;
    for (const path of this.spec.partitions)
      partitioned = withPath(partitioned, path, nestedField(doc, path) ?? null);
    const key = valueKey(partitioned);
    let state = this.states.get(key);
    const bounds = this.spec.bounds;
    if (state === undefined) {
      state = { current: undefined, fields: partitioned };
      this.states.set(key, state);
      if (bounds === 'partition') state.current = value;
      else if (bounds === 'full') {
        this.globalMin ??= value;
        state.current = this.increment(this.globalMin, -1);
      }
    }
    if (bounds === 'full') this.globalMax = value;
    if (Array.isArray(bounds)) this.processExplicit(state, value, bounds);
    else if (state.current !== value) this.fillUpTo(state, value, undefined);
    this.queue.push(doc);
  }

  private processExplicit(
    state: PartitionState,
    value: BsonValue,
    [lower, upper]: [BsonValue, BsonValue],
  ): void {
    if (state.current === undefined) {
      if (compareValues(value, lower) < 0) return;
      if (compareValues(value, lower) === 0) {
        state.current = value;
        return;
      }
      state.current = this.increment(lower, -1);
    }
    this.fillUpTo(state, value, upper);
  }

  /** After the input: explicit bounds fill to the upper bound, "full" to the global maximum. */
  private finish(): void {
    const bounds = this.spec.bounds;
    if (bounds === 'partition') return;
    if (Array.isArray(bounds)) {
      if (this.states.size === 0 && this.spec.partitions.length === 0) {
        this.states.set('', { current: undefined, fields: {} });
      }
      for (const state of this.states.values()) {
        const start = state.current === undefined ? bounds[0] : this.increment(state.current);
        const from = compareValues(start, bounds[0]) < 0 ? bounds[0] : start;
        this.fillRange(state, from, bounds[1]);
      }
      return;
    }
    if (this.globalMax === undefined) return;
    for (const state of this.states.values()) {
      const from = this.increment(state.current);
      const onStep = this.isOnStep(this.globalMax, state.current);
      this.fillRange(state, from, this.globalMax, onStep);
    }
  }

  private isOnStep(value: BsonValue, base: BsonValue): boolean {
    if (value instanceof Date) {
      let stepped = base as Date;
      while (stepped.getTime() < value.getTime()) stepped = this.increment(stepped) as Date;
      return stepped.getTime() === value.getTime();
    }
    const remainder = arithmetic('$mod', arithmetic('$subtract', value, base), this.spec.step);
    return isNumber(remainder) && Number(remainder.toString()) === 0;
  }

  next(): StageResult {
    for (;;) {
      const queued = this.queue.shift();
      if (queued !== undefined) {
        this.returned++;
        return memberFromDocument(queued);
      }
      if (this.finished) return undefined;
      const member = this.child.next();
      if (member === needYield) return needYield;
      if (member === undefined) {
        this.finished = true;
        this.finish();
        continue;
      }
      this.works++;
      const doc = documentOf(member);
      const value = nestedField(doc, this.spec.field);
      if (value === undefined || value === null) this.queue.push(doc);
      else this.process(doc);
    }
  }

  override isEOF(): boolean {
    return this.finished && this.queue.length === 0;
  }
}

function parseBounds(value: BsonValue, step: BsonValue, unit: TimeUnit | undefined): Bounds {
  if (typeof value === 'string') {
    if (value === 'full' || value === 'partition') return value;
    throw new MongoError(5946802, "Bounds string must either be 'full' or 'partition'");
  }
  if (!Array.isArray(value)) {
    throw new MongoError(
      5733404,
      "The bounds in a range statement must be the string 'full', 'partition', or an ascending array of two numbers or two dates",
    );
  }
  if (value.length !== 2)
    throw new MongoError(
      5733403,
      'A bounding array in a range statement must have exactly two elements',
    );
  const [lower, upper] = value as [BsonValue, BsonValue];
  if (compareValues(lower, upper) > 0) {
    throw new MongoError(
      5733402,
      'A bounding array must be an ascending array of either two dates or two numbers',
    );
  }
  if (isNumber(lower)) {
    if (unit !== undefined)
      throw new MongoError(5733409, 'Numeric bounds may not have unit parameter');
    if (!isNumber(upper))
      throw new MongoError(
        5733406,
        'A bounding array must contain either both dates or both numeric types',
      );
    const tag = (v: BsonValue): string | undefined => (v as { _bsontype?: string })._bsontype;
    if (tag(lower) !== tag(upper) || tag(lower) !== tag(step)) {
      throw new MongoError(
        5876900,
        'Upper bound, lower bound, and step must all have the same type',
      );
    }
    return [lower, upper];
  }
  if (lower instanceof Date) {
    if (!(upper instanceof Date))
      throw new MongoError(
        5733405,
        'A bounding array must contain either both dates or both numeric types',
      );
    if (unit === undefined)
      throw new MongoError(5733410, 'A bounding array of dates must specify a unit');
    return [lower, upper];
  }
  throw new MongoError(5946800, 'Explicit bounds must be numeric or dates');
}

function parseRange(range: BsonValue): {
  step: BsonValue;
  unit: TimeUnit | undefined;
  bounds: Bounds;
} {
  if (!isDocument(range)) {
    throw new MongoError(
      'TypeMismatch',
      `BSON field '$densify.range' is the wrong type '${typeNameOf(range)}', expected type 'object'`,
    );
  }
  checkSpecFields('$densify.range', range, ['step', 'unit', 'bounds'], ['step', 'bounds']);
  const step = range.step;
  if (!isNumber(step) || !(compareValues(step, new Int32(0)) > 0)) {
    throw new MongoError(
      5733401,
      'the step parameter in a range statement must be a strictly positive numeric value',
    );
  }
  let unit: TimeUnit | undefined;
  if (range.unit !== undefined) {
    if (integral64(step) === undefined) {
      throw new MongoError(
        6586400,
        'The step parameter in a range statement must be a whole number when densifying a date range',
      );
    }
    if (typeof range.unit !== 'string' || !isTimeUnit(range.unit)) {
      throw new MongoError('FailedToParse', `unknown time unit value: ${formatValue(range.unit)}`);
    }
    unit = range.unit;
  }
  return { step, unit, bounds: parseBounds(range.bounds, step, unit) };
}

export function parseDensify(spec: BsonValue, context: ParseContext): StageDefinition {
  if (!isDocument(spec)) {
    throw new MongoError(
      'FailedToParse',
      `The $densify stage specification must be an object, found ${typeNameOf(spec)}`,
    );
  }
  checkSpecFields('$densify', spec, ['field', 'partitionByFields', 'range'], ['field', 'range']);
  if (typeof spec.field !== 'string') {
    throw new MongoError(
      'TypeMismatch',
      `BSON field '$densify.field' is the wrong type '${typeNameOf(spec.field)}', expected type 'string'`,
    );
  }
  const partitionSpec = spec.partitionByFields ?? [];
  if (!Array.isArray(partitionSpec) || partitionSpec.some((field) => typeof field !== 'string')) {
    throw new MongoError(
      'TypeMismatch',
      "BSON field '$densify.partitionByFields' is the wrong type, expected type 'array' of strings",
    );
  }
  const partitions = (partitionSpec as string[]).map((field) => validateFieldPath(field));
  const { step, unit, bounds } = parseRange(spec.range);
  if (bounds === 'partition' && partitions.length === 0) {
    throw new MongoError(
      5733408,
      "One cannot specify the bounds as 'partition' without specifying a non-empty array of partitionByFields. You may have meant to specify 'full' bounds.",
    );
  }
  const field = validateFieldPath(spec.field);
  return new DensifyDefinition(spec, { field, partitions, step, unit, bounds }, context);
}
