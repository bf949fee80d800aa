/**
 * MatchExpressionParser::parseIntegerElementToLong, which $pop, $push's $slice and
 * $position use: any numeric type holding an integral value that fits in 64 bits.
 */
import type { Decimal128 } from 'bson';
import { decimalToParts } from '../../bson/decimal-parts.js';
import type { BsonValue } from '../../bson/types.js';
import { isNumber } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { bsonElementToString } from '../../bson/to-string.js';

const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;
const twoPow63 = 2 ** 63;

/** The integer, or a FailedToParse error naming the element `name: value`. */
export function parseIntegerToLong(name: string, value: BsonValue): bigint {
  const element = (): string => bsonElementToString(name, value);
  if (!isNumber(value)) throw failed(`Expected a number in: ${element()}`);
  switch (value._bsontype) {
    case 'Int32':
      return BigInt(value.value);
    case 'Long':
      return value.toBigInt();
    case 'Double': {
      const number = value.value;
      if (Number.isNaN(number)) throw failed(`Expected an integer, but found NaN in: ${element()}`);
      if (number >= twoPow63 || number < -twoPow63) {
        throw failed(`Cannot represent as a 64-bit integer: ${element()}`);
      }
      if (!Number.isInteger(number)) throw failed(`Expected an integer: ${element()}`);
      return BigInt(number);
    }
    case 'Decimal128': {
      const exact = decimalToLongExact(value);
      if (exact === undefined) throw failed(`Cannot represent as a 64-bit integer: ${element()}`);
      return exact;
    }
  }
}

/** Decimal128::toLongExact: the value only if it is integral and in range. */
function decimalToLongExact(value: Decimal128): bigint | undefined {
  const parts = decimalToParts(value);
  if (parts.kind !== 'finite') return undefined;
  if (parts.coefficient === 0n) return 0n;
  let coefficient = parts.coefficient;
  let exponent = parts.exponent;
  while (exponent < 0) {
    if (coefficient % 10n !== 0n) return undefined;
    coefficient /= 10n;
    exponent += 1;
  }
  if (exponent > 40) return undefined;
  const result = coefficient * 10n ** BigInt(exponent) * (parts.negative ? -1n : 1n);
  return result >= int64Min && result <= int64Max ? result : undefined;
}

function failed(message: string): MongoError {
  return new MongoError('FailedToParse', message);
}
