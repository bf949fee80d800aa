/**
 * The accumulators that exist only as window functions: $covariancePop/$covarianceSamp
 * (WindowFunctionCovariance), $integral (trapezoidal rule, WindowFunctionIntegral),
 * $expMovingAvg (AccumulatorExpMovingAvg, in Decimal128 as the server computes it) and $locf.
 */
import { Decimal128, Double, Int32, Long } from 'bson';
import type { BsonValue } from '../../../bson/types.js';
import { isNumber } from '../../../bson/types.js';
import { toDouble } from '../../../bson/arith.js';
import { decimalToDouble, toDecimal } from '../../../bson/number-convert.js';
import { MongoError } from '../../../errors/mongo-error.js';
import type { Accumulator } from '../../accumulators/accumulator.js';
import { AvgAccumulator, SumAccumulator } from '../../accumulators/sum-avg.js';
import { decimalAdd, decimalMultiply, decimalSubtract } from '../../expressions/decimal-bridge.js';
import type { Value } from '../../expressions/values.js';
import { arithmetic } from './window-arith.js';

function isNaNValue(value: Value): boolean {
  if (!isNumber(value)) return false;
  return Number.isNaN(toDouble(value));
}

function isInfinite(value: Value): boolean {
  if (!isNumber(value)) return false;
  const number = toDouble(value);
  return number === Infinity || number === -Infinity;
}

/** A pair with NaN or an infinity collapses to one non-finite value (convertNonFiniteInputValue). */
function nonFinite(pair: readonly BsonValue[]): BsonValue {
  let positive = 0;
  let negative = 0;
  let nans = 0;
  let decimal = false;
  for (const value of pair) {
    if (isNaNValue(value)) nans++;
    else if (isInfinite(value)) {
      if (toDouble(value as Double) > 0) positive++;
      else negative++;
    }
    if ((value as { _bsontype?: string })._bsontype === 'Decimal128') decimal = true;
  }
  if (nans > 0 || positive * negative > 0)
    return decimal ? Decimal128.fromString('NaN') : new Double(NaN);
  if (decimal) return Decimal128.fromString(positive > 0 ? 'Infinity' : '-Infinity');
  return new Double(positive > 0 ? Infinity : -Infinity);
}

export class CovarianceAccumulator implements Accumulator {
  private count = 0;
  private readonly meanX = new AvgAccumulator();
  private readonly meanY = new AvgAccumulator();
  private readonly sum = new SumAccumulator();

  constructor(private readonly sample: boolean) {}

  process(value: BsonValue | undefined): void {
    if (!Array.isArray(value) || value.length !== 2 || !isNumber(value[0]) || !isNumber(value[1]))
      return;
    const [x, y] = value as [BsonValue, BsonValue];
    if (isNaNValue(x) || isNaNValue(y) || isInfinite(x) || isInfinite(y)) {
      this.sum.process(nonFinite(value));
      return;
    }
    this.count++;
    const deltaX = arithmetic('$subtract', x, this.meanX.result());
    this.meanX.process(x);
    this.meanY.process(y);
    const deltaY = arithmetic('$subtract', y, this.meanY.result());
    this.sum.process(arithmetic('$multiply', deltaX, deltaY) ?? undefined);
  }

  result(): BsonValue {
    if (this.count === 1 && !this.sample) return new Double(0);
    const adjusted = this.sample ? this.count - 1 : this.count;
    if (adjusted <= 0) return null;
    const total = this.sum.result();
    if ((total as { _bsontype?: string })._bsontype === 'Decimal128') {
      return arithmetic('$divide', total, new Double(adjusted)) ?? null;
    }
    return isNumber(total) ? new Double(toDouble(total) / adjusted) : total;
  }
}

/** $integral over [sortBy value, input] pairs; `unitMillis` rescales date runs. */
export class IntegralAccumulator implements Accumulator {
  private previous: BsonValue[] | undefined;
  private count = 0;
  private nans = 0;
  private readonly sum = new SumAccumulator();

  constructor(private readonly unitMillis: number | undefined) {}

  private check(value: BsonValue | undefined): BsonValue[] {
    const valid =
      Array.isArray(value) &&
      value.length === 2 &&
      isNumber(value[1]) &&
      (isNumber(value[0]) || value[0] instanceof Date);
    if (!valid) {
      throw new MongoError(
        5423900,
        'The input value of $integral window function must be a vector of 2 value, the first value must be numeric or date type and the second must be numeric.',
      );
    }
    const pair = value;
    if (this.unitMillis !== undefined && !(pair[0] instanceof Date)) {
      throw new MongoError(
        5423901,
        "$integral with 'outputUnit' expects the sortBy field to be a Date",
      );
    }
    if (this.unitMillis === undefined && !isNumber(pair[0])) {
      throw new MongoError(
        5423902,
        "$integral (with no 'outputUnit') expects the sortBy field to be numeric",
      );
    }
    return pair;
  }

  private trapezoid(previous: BsonValue[], next: BsonValue[]): Value {
    if (previous.some(isNaNValue) || next.some(isNaNValue)) return new Int32(0);
    const delta = arithmetic('$subtract', next[0], previous[0]);
    const sumY = arithmetic('$add', next[1], previous[1]);
    return arithmetic('$divide', arithmetic('$multiply', sumY, delta), new Double(2));
  }

  process(value: BsonValue | undefined): void {
    const pair = this.check(value);
    if (isNaNValue(pair[0]) || isNaNValue(pair[1])) this.nans++;
    if (this.previous !== undefined) this.sum.process(this.trapezoid(this.previous, pair));
    this.previous = pair;
    this.count++;
  }

  result(): BsonValue {
    if (this.count === 0) return null;
    if (this.nans > 0) return new Double(NaN);
    const total = this.sum.result();
    if (this.unitMillis === undefined) return total;
    return arithmetic('$divide', total, Long.fromNumber(this.unitMillis)) ?? null;
  }
}

/** $expMovingAvg: alpha * value + (1 - alpha) * previous, in Decimal128. */
export class ExpMovingAvgAccumulator implements Accumulator {
  private current: Decimal128 | undefined;
  private decimal = false;

  constructor(private readonly alpha: Decimal128) {}

  process(value: BsonValue | undefined): void {
    if (!isNumber(value)) return;
    if (value._bsontype === 'Decimal128') this.decimal = true;
    const next = toDecimal(value);
    if (this.current === undefined) {
      this.current = next;
      return;
    }
    const oneMinus = decimalSubtract(Decimal128.fromString('1'), this.alpha);
    this.current = decimalAdd(
      decimalMultiply(next, this.alpha),
      decimalMultiply(this.current, oneMinus),
    );
  }

  result(): BsonValue {
    if (this.current === undefined) return null;
    return this.decimal ? this.current : new Double(decimalToDouble(this.current));
  }
}

/** $locf: the last value that was not null or missing. */
export class LocfAccumulator implements Accumulator {
  private last: BsonValue = null;

  process(value: BsonValue | undefined): void {
    if (value !== null && value !== undefined) this.last = value;
  }

  result(): BsonValue {
    return this.last;
  }
}
