/**
 * Leaf predicates over one value the path yields (matchesSingleElement in
 * expression_leaf.cpp), each built once per filter so that matching a document does no
 * parsing and no allocation.
 */
import { Binary, BSONRegExp, BSONSymbol, MaxKey, MinKey } from 'bson';
import { compareValues } from '../../bson/compare.js';
import { canonicalTypeRank, isNumber } from '../../bson/types.js';
import type { BsonValue } from '../../bson/types.js';
import type { BsonNumber } from '../../bson/compare-numbers.js';
import { decimalToParts } from '../../bson/decimal-parts.js';
import { MISSING } from '../path.js';
import type { MaybeValue } from '../path.js';
import type { BitsTest, ComparisonOperator, RegexSpec } from './filter-node.js';
import { decimalTruncate, int64Max, int64Min } from './parse-number.js';

export type ValueTest = (value: MaybeValue) => boolean;

/** Canonical rank of null; missing and undefined share rank 0 (canonicalizeBSONType). */
const nullRank = 5;

function isNaNNumber(value: MaybeValue): boolean {
  if (!isNumber(value)) return false;
  if (value._bsontype === 'Double') return Number.isNaN(value.value);
  if (value._bsontype === 'Decimal128') return decimalToParts(value).kind === 'nan';
  return false;
}

/**
 * ComparisonMatchExpression: values of different canonical types never compare, except
 * that null equals missing (and, before 8.0, undefined) and MinKey/MaxKey bound everything.
 * NaN equals NaN, is not less or greater than anything, and satisfies $lte/$gte only
 * against NaN.
 */
export function comparisonTest(
  op: ComparisonOperator,
  rhs: BsonValue,
  nullMatchesUndefined: boolean,
): ValueTest {
  const rhsRank = canonicalTypeRank(rhs);
  const rhsNaN = isNaNNumber(rhs);
  const inclusive = op === 'eq' || op === 'lte' || op === 'gte';
  const crossType = (rank: number, missing: boolean): boolean => {
    if (rank + rhsRank === nullRank) return inclusive && (missing || nullMatchesUndefined);
    if (rhs instanceof MaxKey) return op === 'lt' || op === 'lte';
    if (rhs instanceof MinKey) return op === 'gt' || op === 'gte';
    return false;
  };
  return (value) => {
    if (value === MISSING) return crossType(0, true);
    const rank = canonicalTypeRank(value);
    if (rank !== rhsRank) return crossType(rank, false);
    if (op !== 'eq' && (rhsNaN || isNaNNumber(value))) {
      return op !== 'lt' && op !== 'gt' && rhsNaN && isNaNNumber(value);
    }
    const order = compareValues(value, rhs);
    switch (op) {
      case 'eq':
        return order === 0;
      case 'lt':
        return order < 0;
      case 'lte':
        return order <= 0;
      case 'gt':
        return order > 0;
      case 'gte':
        return order >= 0;
    }
  };
}

/** RegexMatchExpression: strings and symbols by search; regex values by equal pattern and flags. */
export function regexTest(spec: RegexSpec): ValueTest {
  const { regExp, pattern, options } = spec;
  return (value) => {
    if (typeof value === 'string') return regExp.test(value);
    if (value instanceof BSONSymbol) return regExp.test(value.value);
    if (value instanceof BSONRegExp) return value.pattern === pattern && value.options === options;
    return false;
  };
}

/** Binary search over values sorted by compareValues. */
function sortedContains(values: readonly BsonValue[], value: BsonValue): boolean {
  let low = 0;
  let high = values.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const order = compareValues(values[middle], value);
    if (order === 0) return true;
    if (order < 0) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}

/** InMatchExpression: an equality with any value, or a regex match; null also matches missing. */
export function inTest(
  values: readonly BsonValue[],
  regexes: readonly RegexSpec[],
  nullMatchesUndefined: boolean,
): ValueTest {
  const hasNull = values.some((value) => value === null);
  const regexTests = regexes.map(regexTest);
  return (value) => {
    if (value === MISSING) return hasNull;
    if (value === undefined && hasNull && nullMatchesUndefined) return true;
    if (sortedContains(values, value)) return true;
    for (const test of regexTests) if (test(value)) return true;
    return false;
  };
}

/** The int64 a number holds for $mod: doubles and decimals truncate; others or NaN do not match. */
function dividendOf(value: BsonNumber): bigint | undefined {
  switch (value._bsontype) {
    case 'Int32':
      return BigInt(value.value);
    case 'Long':
      return value.toBigInt();
    case 'Double': {
      if (!Number.isFinite(value.value)) return undefined;
      const truncated = Math.trunc(value.value);
      return truncated >= 2 ** 63 || truncated < -(2 ** 63) ? undefined : BigInt(truncated);
    }
    case 'Decimal128': {
      const truncated = decimalTruncate(value);
      return truncated === undefined || truncated < int64Min || truncated > int64Max
        ? undefined
        : truncated;
    }
  }
}

/** ModMatchExpression with overflow::safeMod: C++ remainder, and x % -1 is 0. */
export function modTest(divisor: bigint, remainder: bigint): ValueTest {
  return (value) => {
    if (!isNumber(value)) return false;
    const dividend = dividendOf(value);
    if (dividend === undefined) return false;
    const result = divisor === -1n ? 0n : dividend % divisor;
    return result === remainder;
  };
}

/** The int64 a number holds for bit tests: doubles must be integral and in range. */
function bitsOperandOf(value: BsonNumber): bigint | undefined {
  switch (value._bsontype) {
    case 'Int32':
      return BigInt(value.value);
    case 'Long':
      return value.toBigInt();
    case 'Double': {
      const number = value.value;
      if (!Number.isInteger(number) || number >= 2 ** 63 || number < -(2 ** 63)) return undefined;
      return BigInt(number);
    }
    case 'Decimal128': {
      // numberLong() rounds half to even and saturates.
      const parts = decimalToParts(value);
      if (parts.kind === 'nan') return undefined;
      if (parts.kind === 'infinity') return parts.negative ? int64Min : int64Max;
      const rounded = roundHalfEven(parts.coefficient, parts.exponent);
      const signed = parts.negative ? -rounded : rounded;
      return signed < int64Min ? int64Min : signed > int64Max ? int64Max : signed;
    }
  }
}

function roundHalfEven(coefficient: bigint, exponent: number): bigint {
  if (exponent >= 0) return coefficient * 10n ** BigInt(exponent);
  const scale = 10n ** BigInt(-exponent);
  const quotient = coefficient / scale;
  const twice = (coefficient % scale) * 2n;
  if (twice > scale || (twice === scale && quotient % 2n === 1n)) return quotient + 1n;
  return quotient;
}

/** BitTestMatchExpression: numbers as 64-bit two's complement, BinData as little-endian bits. */
export function bitsTest(test: BitsTest, positions: readonly number[], mask: bigint): ValueTest {
  const wantSet = test === 'allSet' || test === 'anySet';
  const all = test === 'allSet' || test === 'allClear';
  return (value) => {
    if (value instanceof Binary) {
      const bytes = value.buffer;
      const length = value.position;
      for (const position of positions) {
        const byte = position >> 3;
        const isSet = byte < length && ((bytes[byte] as number) & (1 << (position & 7))) !== 0;
        if (isSet !== wantSet) {
          if (all) return false;
        } else if (!all) {
          return true;
        }
      }
      return all;
    }
    if (!isNumber(value)) return false;
    const operand = bitsOperandOf(value);
    if (operand === undefined) return false;
    const bits = (wantSet ? operand : ~operand) & mask;
    return all ? bits === mask : bits !== 0n;
  };
}
