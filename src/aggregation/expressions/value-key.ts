/**
 * Hash keys for BSON values that agree with compareValues equality: two values get the same
 * key exactly when compareValues says they are equal. Numbers of every type reduce to one
 * canonical exact rational (1, Long(1), 1.0 and Decimal("1.00") share a key; NaNs share one;
 * -0 is 0); strings and symbols share keys. Used by the set operators, $addToSet, $in and
 * $indexOfArray with constant arrays, and later by $group.
 */
import { decimalToParts } from '../../bson/decimal-parts.js';
import { doubleToExact } from '../../bson/compare-numbers.js';
import { dbRefToDocument } from '../../bson/compare.js';
import { isDocument } from '../../bson/types.js';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import type { Value } from './values.js';

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function rationalKey(numerator: bigint, denominator: bigint): string {
  const divisor = gcd(numerator, denominator);
  const n = numerator / divisor;
  const d = denominator / divisor;
  return d === 1n ? `n${n}` : `n${n}/${d}`;
}

function doubleKey(value: number): string {
  if (Number.isNaN(value)) return 'nNaN';
  if (value === Infinity) return 'nInf';
  if (value === -Infinity) return 'n-Inf';
  if (Number.isInteger(value)) {
    return Math.abs(value) < 2 ** 53 ? `n${value === 0 ? 0 : value}` : `n${BigInt(value)}`;
  }
  const exact = doubleToExact(value);
  if (exact.kind !== 'finite') return 'nNaN';
  return `n${exact.numerator}/${exact.denominator}`;
}

function decimalKey(value: Parameters<typeof decimalToParts>[0]): string {
  const parts = decimalToParts(value);
  if (parts.kind === 'nan') return 'nNaN';
  if (parts.kind === 'infinity') return parts.negative ? 'n-Inf' : 'nInf';
  const signed = parts.negative ? -parts.coefficient : parts.coefficient;
  if (signed === 0n) return 'n0';
  if (parts.exponent >= 0) return `n${signed * 10n ** BigInt(parts.exponent)}`;
  return rationalKey(signed, 10n ** BigInt(-parts.exponent));
}

function documentKey(doc: BsonDocument): string {
  let key = '{';
  for (const name of Object.keys(doc)) key += `${JSON.stringify(name)}:${valueKey(doc[name])},`;
  return `${key}}`;
}

function taggedKey(value: object): string {
  const tag = (value as { _bsontype?: string })._bsontype;
  const any = value as Record<string, unknown> & { toString(): string; value: unknown };
  switch (tag) {
    case 'Int32':
      return `n${(any.value as number) === 0 ? 0 : (any.value as number)}`;
    case 'Long':
      return `n${any.toString()}`;
    case 'Double':
      return doubleKey(any.value as number);
    case 'Decimal128':
      return decimalKey(value as Parameters<typeof decimalToParts>[0]);
    case 'ObjectId':
      return `o${(value as { toHexString(): string }).toHexString()}`;
    case 'Timestamp':
      return `t${any.t as number}:${any.i as number}`;
    case 'MinKey':
      return 'm';
    case 'MaxKey':
      return 'M';
    case 'BSONSymbol':
      return `s${JSON.stringify(any.value)}`;
    case 'BSONRegExp':
      return `r${JSON.stringify(any.pattern)}${JSON.stringify(any.options)}`;
    case 'Binary': {
      const binary = value as { sub_type: number; buffer: Uint8Array; position: number };
      return `B${binary.sub_type}:${Buffer.from(binary.buffer.subarray(0, binary.position)).toString('base64')}`;
    }
    case 'Code':
      return `c${JSON.stringify(any.code)}${any.scope ? documentKey(any.scope as BsonDocument) : ''}`;
    case 'DBRef':
      return documentKey(dbRefToDocument(value as Parameters<typeof dbRefToDocument>[0]));
    case undefined:
    default:
      return `?${tag ?? 'object'}`;
  }
}

/** A string that identifies the value up to MongoDB equality. */
export function valueKey(value: Value): string {
  if (value === undefined) return 'u';
  if (value === null) return 'z';
  if (typeof value === 'string') return `s${JSON.stringify(value)}`;
  if (typeof value === 'boolean') return value ? 'b1' : 'b0';
  if (Array.isArray(value)) return `[${value.map(valueKey).join(',')}]`;
  if (value instanceof Date) return `d${value.getTime()}`;
  if (isDocument(value)) return documentKey(value);
  return taggedKey(value);
}

/** Distinct values in first-seen order, by MongoDB equality. */
export class ValueSet {
  private readonly entries = new Map<string, BsonValue>();

  /** Adds the value; returns false when an equal value was already present. */
  add(value: BsonValue): boolean {
    const key = valueKey(value);
    if (this.entries.has(key)) return false;
    this.entries.set(key, value);
    return true;
  }

  has(value: Value): boolean {
    return this.entries.has(valueKey(value));
  }

  get size(): number {
    return this.entries.size;
  }

  values(): BsonValue[] {
    return [...this.entries.values()];
  }
}
