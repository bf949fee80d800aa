/**
 * Window bounds (window_bounds.cpp) and their endpoints in a sorted partition
 * (PartitionIterator::getEndpoints). Document windows are offsets from the current
 * document, clamped to the partition. Range windows compare the single sortBy value with
 * the current one plus an offset ("current" is the current document itself, not its value);
 * with a unit the values are dates and offsets are added as $dateAdd does.
 */
import { Decimal128 } from 'bson';
import type { BsonValue } from '../../../bson/types.js';
import { isDocument, isNumber } from '../../../bson/types.js';
import { compareValues } from '../../../bson/compare.js';
import { toDecimal } from '../../../bson/number-convert.js';
import { MongoError } from '../../../errors/mongo-error.js';
import { constantOf } from '../../expressions/constants.js';
import { dateAdd, isTimeUnit } from '../../expressions/date-units.js';
import type { TimeUnit } from '../../expressions/date-units.js';
import { decimalAdd } from '../../expressions/decimal-bridge.js';
import { utcZone } from '../../expressions/timezone.js';
import { formatValue, integral32, integral64, typeName } from '../../expressions/values.js';
import type { Value } from '../../expressions/values.js';
import type { StageCompiler } from '../../pipeline-compiler.js';

export type Bound =
  | { readonly kind: 'unbounded' }
  | { readonly kind: 'current' }
  | { readonly kind: 'offset'; readonly value: BsonValue };

export interface WindowBounds {
  readonly type: 'documents' | 'range';
  readonly lower: Bound;
  readonly upper: Bound;
  readonly unit?: TimeUnit;
}

export const unboundedWindow: WindowBounds = {
  type: 'documents',
  lower: { kind: 'unbounded' },
  upper: { kind: 'unbounded' },
};

export const leftUnboundedWindow: WindowBounds = {
  type: 'documents',
  lower: { kind: 'unbounded' },
  upper: { kind: 'current' },
};

/** What a parse needs to know about the stage's sortBy. */
export interface SortByShape {
  readonly fields: number;
  readonly ascending: boolean;
}

function failed(message: string): MongoError {
  return new MongoError('FailedToParse', message);
}

function parseBound(
  value: BsonValue,
  compiler: StageCompiler,
  check: (value: BsonValue) => BsonValue,
): Bound {
  if (typeof value === 'string') {
    if (value === 'unbounded') return { kind: 'unbounded' };
    if (value === 'current') return { kind: 'current' };
    throw failed("Window bounds must be 'unbounded', 'current', or a number.");
  }
  const constant = constantOf(compiler.compile(value));
  if (constant === undefined) throw failed('Window bounds expression must be a constant.');
  return { kind: 'offset', value: check(constant.value ?? null) };
}

/** The numeric value of a bound, with 'current' as 0 (checkBoundsForward). */
function numericBound(bound: Bound): BsonValue | undefined {
  if (bound.kind === 'current') return Decimal128.fromString('0');
  return bound.kind === 'offset' ? bound.value : undefined;
}

function checkForward(lower: Bound, upper: Bound): void {
  const low = numericBound(lower);
  const high = numericBound(upper);
  if (low !== undefined && high !== undefined && compareValues(low, high) > 0) {
    const show = (bound: Bound, value: BsonValue): string =>
      bound.kind === 'current' ? '0' : formatValue(value);
    throw new MongoError(
      5339900,
      `Lower bound must not exceed upper bound: [${show(lower, low)}, ${show(upper, high)}]`,
    );
  }
}

function pair(value: BsonValue): [BsonValue, BsonValue] {
  if (!Array.isArray(value) || value.length !== 2) {
    throw failed(`Window bounds must be a 2-element array: ${formatValue(value)}`);
  }
  return [value[0], value[1]];
}

function parseDocumentBounds(
  value: BsonValue,
  compiler: StageCompiler,
  sortBy: SortByShape | undefined,
): WindowBounds {
  const [lowerSpec, upperSpec] = pair(value);
  const integer = (bound: BsonValue): BsonValue => {
    if (integral32(bound) === undefined)
      throw failed('Numeric document-based bounds must be an integer');
    return bound;
  };
  const lower = parseBound(lowerSpec, compiler, integer);
  const upper = parseBound(upperSpec, compiler, integer);
  checkForward(lower, upper);
  const bounds: WindowBounds = { type: 'documents', lower, upper };
  if (!(lower.kind === 'unbounded' && upper.kind === 'unbounded') && sortBy === undefined) {
    throw new MongoError(5339901, 'Document-based bounds require a sortBy');
  }
  return bounds;
}

function parseRangeBounds(
  range: BsonValue,
  unit: BsonValue | undefined,
  compiler: StageCompiler,
  sortBy: SortByShape | undefined,
): WindowBounds {
  const [lowerSpec, upperSpec] = pair(range);
  let timeUnit: TimeUnit | undefined;
  let check: (bound: BsonValue) => BsonValue;
  if (unit !== undefined) {
    if (typeof unit !== 'string') throw failed("'unit' must be a string");
    if (!isTimeUnit(unit)) throw failed(`unknown time unit value: ${unit}`);
    timeUnit = unit;
    check = (bound) => {
      if (integral64(bound) === undefined) {
        throw failed("With 'unit', range-based bounds must be an integer");
      }
      return bound;
    };
  } else {
    check = (bound) => {
      if (!isNumber(bound)) throw failed('Range-based bounds expression must be a number');
      return bound;
    };
  }
  const lower = parseBound(lowerSpec, compiler, check);
  const upper = parseBound(upperSpec, compiler, check);
  checkForward(lower, upper);
  if (sortBy === undefined || sortBy.fields !== 1) {
    throw new MongoError(5339902, 'Range-based bounds require sortBy a single field');
  }
  if (!sortBy.ascending)
    throw new MongoError(8947401, 'Range-based bounds require an ascending sortBy');
  return { type: 'range', lower, upper, ...(timeUnit === undefined ? {} : { unit: timeUnit }) };
}

/** WindowBounds::parse. */
export function parseWindowBounds(
  spec: BsonValue,
  compiler: StageCompiler,
  sortBy: SortByShape | undefined,
): WindowBounds {
  if (!isDocument(spec)) throw failed("'window' field must be an object");
  const { documents, range, unit } = spec;
  const fields = Object.keys(spec).length;
  if (documents !== undefined && range !== undefined) {
    throw failed("Window bounds can specify either 'documents' or 'unit', not both.");
  }
  if (range === undefined && unit !== undefined) {
    throw failed("Window bounds can only specify 'unit' with range-based bounds.");
  }
  if (range === undefined && documents === undefined) {
    if (fields !== 0) {
      throw failed(
        "'window' field can only contain 'documents' as the only argument or 'range' with an optional 'unit' field",
      );
    }
    return unboundedWindow;
  }
  if (documents !== undefined) {
    if (fields !== 1)
      throw failed("'window' field that specifies documents cannot have other fields");
    return parseDocumentBounds(documents, compiler, sortBy);
  }
  if (fields !== (unit === undefined ? 1 : 2)) {
    throw failed(
      unit === undefined
        ? "'window' field that specifies range cannot have other fields besides 'unit'"
        : "'window' field that specifies unit cannot have other fields besides 'range'",
    );
  }
  return parseRangeBounds(range, unit, compiler, sortBy);
}

/** The [lower, upper] indexes of a document window, or undefined when it is empty. */
function documentEndpoints(
  bounds: WindowBounds,
  index: number,
  size: number,
): [number, number] | undefined {
  const offset = (bound: Bound): number | undefined =>
    bound.kind === 'unbounded' ? undefined : bound.kind === 'current' ? 0 : integral32(bound.value);
  const lower = offset(bounds.lower);
  const upper = offset(bounds.upper);
  if (lower !== undefined && index + lower > size - 1) return undefined;
  if (upper !== undefined && index + upper < 0) return undefined;
  const clamp = (position: number): number => Math.max(0, Math.min(position, size - 1));
  return [
    lower === undefined ? 0 : clamp(index + lower),
    upper === undefined ? size - 1 : clamp(index + upper),
  ];
}

/** Values of the sortBy field in a partition, checked for range windows once per partition. */
export function checkRangeValues(bounds: WindowBounds, values: readonly Value[]): void {
  for (const value of values) {
    if (bounds.unit !== undefined) {
      if (!(value instanceof Date)) {
        throw new MongoError(
          5429513,
          `Invalid range: Expected the sortBy field to be a Date, but it was ${typeName(value)}`,
        );
      }
    } else {
      if (value instanceof Date) {
        throw new MongoError(
          5429413,
          'Invalid range: For windows that involve date or time ranges, a unit must be provided.',
        );
      }
      if (!isNumber(value)) {
        throw new MongoError(
          5429414,
          `Invalid range: Expected the sortBy field to be a number, but it was ${typeName(value)}`,
        );
      }
    }
  }
}

function threshold(bounds: WindowBounds, base: BsonValue, delta: BsonValue): BsonValue {
  if (bounds.unit !== undefined) {
    const amount = integral64(delta) as bigint;
    return new Date(dateAdd((base as Date).getTime(), bounds.unit, amount, utcZone));
  }
  return decimalAdd(
    toDecimal(base as Parameters<typeof toDecimal>[0]),
    toDecimal(delta as Parameters<typeof toDecimal>[0]),
  );
}

/** First index in [from, size) whose value is not less than `target` (values ascend). */
function lowerIndex(values: readonly Value[], target: BsonValue, from: number): number {
  let low = from;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (compareValues(values[middle], target) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** First index in [from, size) whose value exceeds `target`. */
function upperIndex(values: readonly Value[], target: BsonValue, from: number): number {
  let low = from;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (compareValues(values[middle], target) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

function rangeEndpoints(
  bounds: WindowBounds,
  values: readonly Value[],
  index: number,
): [number, number] | undefined {
  const base = values[index];
  let lower: number;
  if (bounds.lower.kind === 'current') lower = index;
  else if (bounds.lower.kind === 'unbounded') lower = 0;
  else {
    lower = lowerIndex(values, threshold(bounds, base, bounds.lower.value), 0);
    if (lower >= values.length) return undefined;
  }
  let upper: number;
  if (bounds.upper.kind === 'current') upper = index;
  else if (bounds.upper.kind === 'unbounded') upper = values.length - 1;
  else {
    const past = upperIndex(values, threshold(bounds, base, bounds.upper.value), lower);
    if (past === lower) return undefined;
    upper = past - 1;
  }
  return lower > upper ? undefined : [lower, upper];
}

/** The window of the document at `index`, or undefined when it is empty. */
export function windowEndpoints(
  bounds: WindowBounds,
  index: number,
  size: number,
  sortValues: readonly Value[] | undefined,
): [number, number] | undefined {
  if (bounds.type === 'documents') return documentEndpoints(bounds, index, size);
  return rangeEndpoints(bounds, sortValues as readonly Value[], index);
}
