/**
 * How the runner sees values: the driver returns promoted JS numbers and bson class
 * instances, spec files hold Int32/Long/Double instances. Classification goes by the
 * `_bsontype` tag (Timestamp is `instanceof Long` in the bson package, so never instanceof).
 */
import { inspect } from 'node:util';
import { EJSON } from 'bson';

export type Tagged = { _bsontype: string } & Record<string, unknown>;

export function bsonTag(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const tag = (value as { _bsontype?: unknown })._bsontype;
  return typeof tag === 'string' ? tag : undefined;
}

/** A document, as opposed to an array, a BSON scalar or a JS built-in value. */
export function isDocument(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value) || value instanceof Date || value instanceof RegExp) return false;
  if (value instanceof Uint8Array || value instanceof Map) return false;
  return bsonTag(value) === undefined;
}

/**
 * The fields of a document-like actual value: the driver sends some command fields (sort,
 * index keys) as Maps to keep their order.
 */
export function documentFields(value: unknown): Record<string, unknown> | undefined {
  if (value instanceof Map)
    return Object.fromEntries([...value.entries()].map(([key, item]) => [String(key), item]));
  return isDocument(value) ? value : undefined;
}

/** Present means an own key whose value is not undefined (the driver leaves undefined fields). */
export function hasField(document: Record<string, unknown>, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(document, key) && document[key] !== undefined;
}

export function presentKeys(document: Record<string, unknown>): string[] {
  return Object.keys(document).filter((key) => document[key] !== undefined);
}

/**
 * The numeric value for the unified format's flexible comparisons: int32, int64 and double
 * compare by value (Decimal128 is excluded by the spec). Integers become bigint so a Long
 * beyond 2^53 is never rounded.
 */
export function numericValue(value: unknown): number | bigint | undefined {
  if (typeof value === 'number' || typeof value === 'bigint') return value;
  const tag = bsonTag(value);
  if (tag === 'Int32' || tag === 'Double') return (value as { value: number }).value;
  if (tag === 'Long') return BigInt((value as { toString(): string }).toString());
  return undefined;
}

export function numbersEqual(left: number | bigint, right: number | bigint): boolean {
  if (typeof left === 'number' && typeof right === 'number') {
    return left === right || (Number.isNaN(left) && Number.isNaN(right));
  }
  if (typeof left === 'bigint' && typeof right === 'bigint') return left === right;
  const [integer, other] =
    typeof left === 'bigint' ? [left, right as number] : [right as bigint, left];
  return Number.isInteger(other) && BigInt(other) === integer;
}

/** -1, 0 or 1; NaN sorts below everything, which no spec test relies on. */
export function compareNumbers(left: number | bigint, right: number | bigint): number {
  if (typeof left === 'number' && Number.isNaN(left)) return -1;
  if (typeof right === 'number' && Number.isNaN(right)) return 1;
  if (typeof left === typeof right) return left < right ? -1 : left > right ? 1 : 0;
  const [integer, other, sign] =
    typeof left === 'bigint' ? [left, right as number, 1] : [right as bigint, left, -1];
  if (!Number.isFinite(other)) return other > 0 ? -sign : sign;
  const floor = BigInt(Math.floor(other));
  if (integer !== floor) return integer < floor ? -sign : sign;
  return Number.isInteger(other) ? 0 : -sign;
}

/** Deep conversion of bson numbers to JS numbers, for driver options that must be numbers. */
export function toPlainNumbers(value: unknown): unknown {
  const numeric = numericValue(value);
  if (numeric !== undefined) return typeof numeric === 'bigint' ? Number(numeric) : numeric;
  if (Array.isArray(value)) return value.map(toPlainNumbers);
  if (isDocument(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, field]) => [key, toPlainNumbers(field)]),
    );
  }
  return value;
}

/** Extended JSON when possible (keeps types visible in failure messages), inspect otherwise. */
export function describeValue(value: unknown): string {
  let text: string;
  try {
    text = value === undefined ? 'undefined' : EJSON.stringify(value, { relaxed: false });
  } catch {
    text = inspect(value, { depth: 6, breakLength: Infinity });
  }
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
}
