/**
 * $round, $trunc, $floor and $ceil over every number type, as the server's
 * evaluateRoundOrTrunc and ExpressionFloor/Ceil compute them: decimals are quantized
 * (with MongoDB's fallback to the 34-digit value when the quantum is too fine), doubles
 * take a detour through their exact 34-digit decimal form so that $round(2.675, 2) rounds
 * the double's true value, and integers only change for negative places.
 */
import { Double, Int32, Long } from 'bson';
import { MongoError } from '../errors/mongo-error.js';
import { assert } from '../util/assert.js';
import { toBigInt } from './arith.js';
import type { BsonNumber } from './compare-numbers.js';
import {
  decimalCeil,
  decimalFloor,
  decimalIsInfinite,
  decimalQuantizeLikeMongo,
} from './decimal.js';
import {
  decimalToDouble,
  decimalToInt64,
  doubleToDecimal,
  int64ToDecimal,
} from './number-convert.js';

export type RoundOperator = '$round' | '$trunc';

const int32Max = 2n ** 31n - 1n;

/**
 * `value` rounded ($round: half to even) or truncated ($trunc) to `places` decimal places
 * (an integer in [-20, 100], validated by the caller). Integers that round beyond Int64
 * raise 51080, as the server's conversion back from Decimal128 does.
 */
export function roundNumber(
  value: BsonNumber,
  places: number,
  operator: RoundOperator,
): BsonNumber {
  assert(Number.isInteger(places) && places >= -20 && places <= 100, 'places out of range');
  const mode = operator === '$round' ? 'halfEven' : 'towardZero';
  switch (value._bsontype) {
    case 'Decimal128':
      return decimalIsInfinite(value) ? value : decimalQuantizeLikeMongo(value, -places, mode);
    case 'Double': {
      const exact = doubleToDecimal(value.value, 34);
      if (decimalIsInfinite(exact)) return value;
      return new Double(decimalToDouble(decimalQuantizeLikeMongo(exact, -places, mode)));
    }
    case 'Int32':
    case 'Long': {
      if (places >= 0) return value;
      const integer = toBigInt(value);
      const quantized = decimalQuantizeLikeMongo(int64ToDecimal(integer), -places, mode);
      const rounded = decimalToInt64(quantized, 'halfEven');
      if (rounded === undefined) {
        throw new MongoError(
          51080,
          `invalid conversion from Decimal128 result in ${operator} resulting from arguments: [${integer}, ${places}]`,
        );
      }
      if (value._bsontype === 'Long' || rounded > int32Max) return Long.fromBigInt(rounded);
      // The server narrows with static_cast<int> after checking only the upper bound, so
      // a result below Int32 min wraps around; reproduced rather than silently fixed.
      return new Int32(Number(BigInt.asIntN(32, rounded)));
    }
  }
}

/** $floor: doubles through Math.floor, decimals quantized to exponent 0, integers as is. */
export function floorNumber(value: BsonNumber): BsonNumber {
  switch (value._bsontype) {
    case 'Double':
      return new Double(Math.floor(value.value));
    case 'Decimal128':
      return decimalFloor(value);
    case 'Int32':
    case 'Long':
      return value;
  }
}

/** $ceil: doubles through Math.ceil, decimals quantized to exponent 0, integers as is. */
export function ceilNumber(value: BsonNumber): BsonNumber {
  switch (value._bsontype) {
    case 'Double':
      return new Double(Math.ceil(value.value));
    case 'Decimal128':
      return decimalCeil(value);
    case 'Int32':
    case 'Long':
      return value;
  }
}
