/**
 * $sum and $avg (accumulator_sum.cpp, accumulator_avg.cpp): non-numeric inputs are ignored;
 * integers and doubles are summed exactly with DoubleDoubleSummation, decimals in Decimal128;
 * the result has the widest input type, an int sum widens to long and a long sum to double.
 */
import { Decimal128, Double, Long } from 'bson';
import { numericRank } from '../../bson/arith.js';
import { isNumber } from '../../bson/types.js';
import type { BsonValue } from '../../bson/types.js';
import { decimalAdd, decimalDivide } from '../expressions/decimal-bridge.js';
import { intOrLong } from '../expressions/values.js';
import { DoubleDoubleSummation } from './summation.js';
import type { Accumulator } from './types.js';

type Rank = 0 | 1 | 2 | 3;

/** The numeric part shared by $sum and $avg. */
class NumericTotal {
  private readonly nonDecimal = new DoubleDoubleSummation();
  private decimal: Decimal128 | undefined;
  rank: Rank = 0;
  count = 0;

  add(value: BsonValue | undefined): void {
    if (!isNumber(value)) return;
    this.rank = Math.max(this.rank, numericRank(value)) as Rank;
    this.count += 1;
    switch (value._bsontype) {
      case 'Int32':
        this.nonDecimal.addInt(value.value);
        break;
      case 'Long':
        this.nonDecimal.addLong(value.toBigInt());
        break;
      case 'Double':
        this.nonDecimal.addDouble(value.value);
        break;
      case 'Decimal128':
        this.decimal = this.decimal === undefined ? value : decimalAdd(this.decimal, value);
        break;
    }
  }

  sum(): BsonValue {
    switch (this.rank) {
      case 0:
        if (this.nonDecimal.fitsLong()) return intOrLong(this.nonDecimal.getLong());
        return new Double(this.nonDecimal.getDouble());
      case 1:
        if (this.nonDecimal.fitsLong()) return Long.fromBigInt(this.nonDecimal.getLong());
        return new Double(this.nonDecimal.getDouble());
      case 2:
        return new Double(this.nonDecimal.getDouble());
      case 3:
        return this.decimalSum();
    }
  }

  decimalSum(): Decimal128 {
    const nonDecimal = this.nonDecimal.getDecimal();
    return this.decimal === undefined ? nonDecimal : decimalAdd(this.decimal, nonDecimal);
  }

  doubleSum(): number {
    return this.nonDecimal.getDouble();
  }
}

export class SumAccumulator implements Accumulator {
  private readonly total = new NumericTotal();

  process(value: BsonValue | undefined): void {
    this.total.add(value);
  }

  result(): BsonValue {
    return this.total.sum();
  }
}

export class AvgAccumulator implements Accumulator {
  private readonly total = new NumericTotal();

  process(value: BsonValue | undefined): void {
    this.total.add(value);
  }

  result(): BsonValue {
    if (this.total.count === 0) return null;
    if (this.total.rank === 3) {
      return decimalDivide(
        this.total.decimalSum(),
        Decimal128.fromString(String(this.total.count)),
      );
    }
    return new Double(this.total.doubleSum() / this.total.count);
  }
}
