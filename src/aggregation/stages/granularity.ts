/**
 * $bucketAuto's granularity rounders (granularity_rounder_*.cpp): the preferred number
 * series (Renard R5..R80, 1-2-5, E6..E192) and POWERSOF2. roundUp gives the least series
 * value strictly above the input and roundDown the greatest strictly below; doubles and
 * decimals are rounded with their own arithmetic, exactly as the server does it.
 */
import { Decimal128, Double, Int32, Long } from 'bson';
import type { BsonValue } from '../../bson/types.js';
import { isNumber } from '../../bson/types.js';
import { toDouble } from '../../bson/arith.js';
import { compareValues } from '../../bson/compare.js';
import { MongoError } from '../../errors/mongo-error.js';
import { decimalDivide, decimalLn, decimalMultiply } from '../expressions/decimal-bridge.js';
import { typeName } from '../expressions/values.js';

export interface GranularityRounder {
  readonly name: string;
  roundUp(value: BsonValue): BsonValue;
  roundDown(value: BsonValue): BsonValue;
}

const series: Readonly<Record<string, readonly number[]>> = {
  R5: [10, 16, 25, 40, 63],
  R10: [100, 125, 160, 200, 250, 315, 400, 500, 630, 800],
  R20: [
    100, 112, 125, 140, 160, 180, 200, 224, 250, 280, 315, 355, 400, 450, 500, 560, 630, 710, 800,
    900,
  ],
  R40: [
    100, 106, 112, 118, 125, 132, 140, 150, 160, 170, 180, 190, 200, 212, 224, 236, 250, 265, 280,
    300, 315, 355, 375, 400, 425, 450, 475, 500, 530, 560, 600, 630, 670, 710, 750, 800, 850, 900,
    950,
  ],
  R80: [
    103, 109, 115, 122, 128, 136, 145, 155, 165, 175, 185, 195, 206, 218, 230, 243, 258, 272, 290,
    307, 325, 345, 365, 387, 412, 437, 462, 487, 515, 545, 575, 615, 650, 690, 730, 775, 825, 875,
    925, 975,
  ],
  '1-2-5': [10, 20, 50],
  E6: [10, 15, 22, 33, 47, 68],
  E12: [10, 12, 15, 18, 22, 27, 33, 39, 47, 56, 68, 82],
  E24: [
    10, 11, 12, 13, 15, 16, 18, 20, 22, 24, 27, 30, 33, 36, 39, 43, 47, 51, 56, 62, 68, 75, 82, 91,
  ],
  E48: [
    100, 105, 110, 115, 121, 127, 133, 140, 147, 154, 162, 169, 178, 187, 196, 205, 215, 226, 237,
    249, 261, 274, 287, 301, 316, 332, 348, 365, 383, 402, 422, 442, 464, 487, 511, 536, 562, 590,
    619, 649, 681, 715, 750, 787, 825, 866, 909, 953,
  ],
  E96: [
    100, 102, 105, 107, 110, 113, 115, 118, 121, 124, 127, 130, 133, 137, 140, 143, 147, 150, 154,
    158, 162, 165, 169, 174, 178, 182, 187, 191, 196, 200, 205, 210, 215, 221, 226, 232, 237, 243,
    249, 255, 261, 267, 274, 280, 287, 294, 301, 309, 316, 324, 332, 340, 348, 357, 365, 374, 383,
    392, 402, 412, 422, 432, 442, 453, 464, 475, 487, 499, 511, 523, 536, 549, 562, 576, 590, 604,
    619, 634, 649, 665, 681, 698, 715, 732, 750, 768, 787, 806, 825, 845, 866, 887, 909, 931, 953,
    976,
  ],
  E192: [
    100, 101, 102, 104, 105, 106, 107, 109, 110, 111, 113, 114, 115, 117, 118, 120, 121, 123, 124,
    126, 127, 129, 130, 132, 133, 135, 137, 138, 140, 142, 143, 145, 147, 149, 150, 152, 154, 156,
    158, 160, 162, 164, 165, 167, 169, 172, 174, 176, 178, 180, 182, 184, 187, 189, 191, 193, 196,
    198, 200, 203, 205, 208, 210, 213, 215, 218, 221, 223, 226, 229, 232, 234, 237, 240, 243, 246,
    249, 252, 255, 258, 261, 264, 267, 271, 274, 277, 280, 284, 287, 291, 294, 298, 301, 305, 309,
    312, 316, 320, 324, 328, 332, 336, 340, 344, 348, 352, 357, 361, 365, 370, 374, 379, 383, 388,
    392, 397, 402, 407, 412, 417, 422, 427, 432, 437, 442, 448, 453, 459, 464, 470, 475, 481, 487,
    493, 499, 505, 511, 517, 523, 530, 536, 542, 549, 556, 562, 569, 576, 583, 590, 597, 604, 612,
    619, 626, 634, 642, 649, 657, 665, 673, 681, 690, 698, 706, 715, 723, 732, 741, 750, 759, 768,
    777, 787, 796, 806, 816, 825, 835, 845, 856, 866, 876, 887, 898, 909, 920, 931, 942, 953, 965,
    976, 988,
  ],
};

function checkNonNegative(value: BsonValue, codes: readonly [number, number, number]): number {
  if (!isNumber(value)) {
    throw new MongoError(
      codes[0],
      `A granularity rounder can only round numeric values, but found type: ${typeName(value)}`,
    );
  }
  const number = toDouble(value);
  if (Number.isNaN(number))
    throw new MongoError(codes[1], 'A granularity rounder cannot round NaN');
  if (number < 0)
    throw new MongoError(codes[2], 'A granularity rounder can only round non-negative numbers');
  return number;
}

const preferredCodes = [40262, 40263, 40268] as const;

/** Double rounding up through the series (GranularityRounderPreferredNumbers::roundUp). */
function roundUpDouble(base: readonly number[], number: number): number {
  const first = base[0] as number;
  const last = base[base.length - 1] as number;
  let multiplier = 1;
  while (number >= last * multiplier) multiplier *= 10;
  while (number < first * multiplier) {
    const previousMin = first * multiplier;
    multiplier /= 10;
    if (number >= last * multiplier) return previousMin;
  }
  const found = base.find((element) => number < element * multiplier) as number;
  return found * multiplier;
}

function roundDownDouble(base: readonly number[], number: number): number {
  const first = base[0] as number;
  const last = base[base.length - 1] as number;
  let multiplier = 1;
  while (number <= first * multiplier) multiplier /= 10;
  while (number > last * multiplier) {
    const previousMax = last * multiplier;
    multiplier *= 10;
    if (number <= first * multiplier) return previousMax;
  }
  const index = base.findIndex((element) => !(element * multiplier < number));
  return (base[index - 1] as number) * multiplier;
}

const ten = Decimal128.fromString('10');

function decimalRound(base: readonly number[], number: Decimal128, up: boolean): Decimal128 {
  const values = base.map((element) => Decimal128.fromString(String(element)));
  const first = values[0] as Decimal128;
  const last = values[values.length - 1] as Decimal128;
  const scaled = (value: Decimal128, multiplier: Decimal128): Decimal128 =>
    decimalMultiply(value, multiplier);
  const compare = (a: Decimal128, b: Decimal128): number => compareValues(a, b);
  let multiplier = Decimal128.fromString('1');
  if (up) {
    while (compare(number, scaled(last, multiplier)) >= 0)
      multiplier = decimalMultiply(multiplier, ten);
    while (compare(number, scaled(first, multiplier)) < 0) {
      const previousMin = scaled(first, multiplier);
      multiplier = decimalDivide(multiplier, ten);
      if (compare(number, scaled(last, multiplier)) >= 0) return previousMin;
    }
    return scaled(
      values.find((value) => compare(number, scaled(value, multiplier)) < 0) as Decimal128,
      multiplier,
    );
  }
  while (compare(number, scaled(first, multiplier)) <= 0)
    multiplier = decimalDivide(multiplier, ten);
  while (compare(number, scaled(last, multiplier)) > 0) {
    const previousMax = scaled(last, multiplier);
    multiplier = decimalMultiply(multiplier, ten);
    if (compare(number, scaled(first, multiplier)) <= 0) return previousMax;
  }
  const index = values.findIndex((value) => compare(scaled(value, multiplier), number) >= 0);
  return scaled(values[index - 1] as Decimal128, multiplier);
}

function preferredRounder(name: string, base: readonly number[]): GranularityRounder {
  const round = (value: BsonValue, up: boolean): BsonValue => {
    const number = checkNonNegative(value, preferredCodes);
    if (number === 0) return value;
    if ((value as { _bsontype?: string })._bsontype === 'Decimal128')
      return decimalRound(base, value as Decimal128, up);
    return new Double(up ? roundUpDouble(base, number) : roundDownDouble(base, number));
  };
  return {
    name,
    roundUp: (value) => round(value, true),
    roundDown: (value) => round(value, false),
  };
}

/** 2^exponent with $pow's result types for an int base and int (or decimal) exponent. */
function powerOfTwo(exponent: number, decimal: boolean): BsonValue {
  if (decimal)
    return Decimal128.fromString(
      exponent >= 0 ? (2n ** BigInt(exponent)).toString() : String(2 ** exponent),
    );
  if (exponent < 0) return new Double(2 ** exponent);
  const power = 2n ** BigInt(exponent);
  if (power <= 2147483647n) return new Int32(Number(power));
  if (power <= 9223372036854775807n) return Long.fromBigInt(power);
  return new Double(Number(power));
}

const powersCodes = [40265, 40266, 40267] as const;

/** Position of the highest set bit of a positive integer. */
function highestBit(value: bigint): number {
  return value.toString(2).length - 1;
}

const powersOfTwo: GranularityRounder = {
  name: 'POWERSOF2',
  roundUp(value) {
    const number = checkNonNegative(value, powersCodes);
    if (number === 0) return value;
    const tag = (value as { _bsontype?: string })._bsontype;
    if (tag === 'Double') return powerOfTwo(Math.floor(Math.log2(number)) + 1, false);
    if (tag === 'Decimal128') {
      const log2 = toDouble(
        decimalDivide(decimalLn(value as Decimal128), decimalLn(Decimal128.fromString('2'))),
      );
      return powerOfTwo(Math.floor(log2) + 1, true);
    }
    return powerOfTwo(highestBit(BigInt((value as Int32 | Long).toString())) + 1, false);
  },
  roundDown(value) {
    const number = checkNonNegative(value, powersCodes);
    if (number === 0) return value;
    const tag = (value as { _bsontype?: string })._bsontype;
    if (tag === 'Double') return powerOfTwo(Math.ceil(Math.log2(number)) - 1, false);
    if (tag === 'Decimal128') {
      const log2 = toDouble(
        decimalDivide(decimalLn(value as Decimal128), decimalLn(Decimal128.fromString('2'))),
      );
      return powerOfTwo(Math.ceil(log2) - 1, true);
    }
    const integer = BigInt((value as Int32 | Long).toString());
    const bit = highestBit(integer);
    const isPower = integer === 1n << BigInt(bit);
    return powerOfTwo(isPower ? bit - 1 : bit, false);
  },
};

export function granularityRounder(name: string): GranularityRounder {
  if (name === 'POWERSOF2') return powersOfTwo;
  const base = series[name];
  if (base === undefined) throw new MongoError(40257, `Unknown rounding granularity '${name}'`);
  return preferredRounder(name, base);
}
