/**
 * Value semantics $jsonSchema needs beyond the matcher's: equality that ignores field
 * order (enum, uniqueItems), multipleOf in decimal arithmetic, and string length in code
 * points.
 */
import type { BsonNumber } from '../../bson/compare-numbers.js';
import { compareValues } from '../../bson/compare.js';
import { decimalToParts } from '../../bson/decimal-parts.js';
import type { BsonValue } from '../../bson/types.js';
import { asDocument, getField, MISSING } from '../path.js';

/** UnorderedFieldsBSONElementComparator equality: documents compare as sets of fields. */
export function unorderedEquals(a: BsonValue, b: BsonValue): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((element, i) => unorderedEquals(element, b[i]));
  }
  const left = asDocument(a);
  const right = asDocument(b);
  if (left === undefined || right === undefined) {
    return left === undefined && right === undefined && compareValues(a, b) === 0;
  }
  const names = Object.keys(left);
  if (names.length !== Object.keys(right).length) return false;
  return names.every((name) => {
    const other = getField(right, name);
    return other !== MISSING && unorderedEquals(left[name], other);
  });
}

/** String length as JSON Schema counts it: in code points, not UTF-16 units. */
export function codePointLength(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    length++;
  }
  return length;
}

type Rational = { numerator: bigint; denominator: bigint } | 'nan' | 'infinity';

/** A decimal string ("1.25e-3") as an exact rational. */
function parseDecimalString(text: string): Rational {
  const match = /^(-?)(\d+)(?:\.(\d*))?(?:e([-+]?\d+))?$/i.exec(text);
  if (match === null) return 'nan';
  const fraction = match[3] ?? '';
  const exponent = Number(match[4] ?? '0') - fraction.length;
  let numerator = BigInt((match[2] ?? '0') + fraction);
  if (match[1] === '-') numerator = -numerator;
  if (exponent >= 0) return { numerator: numerator * 10n ** BigInt(exponent), denominator: 1n };
  return { numerator, denominator: 10n ** BigInt(-exponent) };
}

/**
 * A number as BSONElement::numberDecimal sees it: doubles are rounded to 15 significant
 * digits (Decimal128's default conversion), so 0.3 is a multiple of 0.1.
 */
function toDecimalRational(value: BsonNumber): Rational {
  switch (value._bsontype) {
    case 'Int32':
      return { numerator: BigInt(value.value), denominator: 1n };
    case 'Long':
      return { numerator: value.toBigInt(), denominator: 1n };
    case 'Double': {
      if (Number.isNaN(value.value)) return 'nan';
      if (!Number.isFinite(value.value)) return 'infinity';
      return parseDecimalString(value.value.toPrecision(15));
    }
    case 'Decimal128': {
      const parts = decimalToParts(value);
      if (parts.kind === 'nan') return 'nan';
      if (parts.kind === 'infinity') return 'infinity';
      const signed = parts.negative ? -parts.coefficient : parts.coefficient;
      if (parts.exponent >= 0)
        return { numerator: signed * 10n ** BigInt(parts.exponent), denominator: 1n };
      return { numerator: signed, denominator: 10n ** BigInt(-parts.exponent) };
    }
  }
}

/** InternalSchemaFmod with remainder 0: value mod divisor is zero, in decimal arithmetic. */
export function isMultipleOf(value: BsonNumber, divisor: BsonNumber): boolean {
  const v = toDecimalRational(value);
  const d = toDecimalRational(divisor);
  if (v === 'nan' || v === 'infinity' || d === 'nan') return false;
  // x mod infinity is x.
  if (d === 'infinity') return v.numerator === 0n;
  if (d.numerator === 0n) return false;
  return (v.numerator * d.denominator) % (v.denominator * d.numerator) === 0n;
}
