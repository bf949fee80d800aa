/**
 * MongoDB's total order over BSON values (BSONElement::compareElements without a
 * collation): first the canonical type rank, then the value within the type.
 */
import type { Decimal128, Double, Int32, Long } from 'bson';
import { Binary, BSONRegExp, BSONSymbol, Code, DBRef, ObjectId, Timestamp } from 'bson';
import { compareNumbers } from './compare-numbers.js';
import type { BsonDocument, BsonValue } from './types.js';
import { canonicalTypeRank, isNumber } from './types.js';

export type Ordering = -1 | 0 | 1;

function order(n: number): Ordering {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/**
 * Compares strings by Unicode code point, which is the byte order of their UTF-8 forms.
 * JS `<` compares UTF-16 code units, which disagrees when a surrogate pair meets a code
 * unit in U+E000..U+FFFF.
 */
export function compareStrings(a: string, b: string): Ordering {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    return order(codePointRank(x) - codePointRank(y));
  }
  return order(a.length - b.length);
}

function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

export function compareBytes(a: Uint8Array, b: Uint8Array): Ordering {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (x !== y) return x < y ? -1 : 1;
  }
  return order(a.length - b.length);
}

/** DBRef is a document on the wire; compare it as the document it encodes. */
export function dbRefToDocument(ref: DBRef): BsonDocument {
  const doc: BsonDocument = { $ref: ref.collection, $id: ref.oid };
  if (ref.db) doc.$db = ref.db;
  for (const [key, value] of Object.entries(ref.fields)) doc[key] = value as BsonValue;
  return doc;
}

export function compareDocuments(a: BsonDocument, b: BsonDocument): Ordering {
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  const length = Math.min(aKeys.length, bKeys.length);
  for (let i = 0; i < length; i++) {
    const aKey = aKeys[i] as string;
    const bKey = bKeys[i] as string;
    const aValue = a[aKey];
    const bValue = b[bKey];
    const byType = order(canonicalTypeRank(aValue) - canonicalTypeRank(bValue));
    if (byType !== 0) return byType;
    const byName = compareStrings(aKey, bKey);
    if (byName !== 0) return byName;
    const byValue = compareValues(aValue, bValue);
    if (byValue !== 0) return byValue;
  }
  return order(aKeys.length - bKeys.length);
}

export function compareArrays(a: BsonValue[], b: BsonValue[]): Ordering {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const byValue = compareValues(a[i], b[i]);
    if (byValue !== 0) return byValue;
  }
  return order(a.length - b.length);
}

function stringOf(value: BsonValue): string {
  return value instanceof BSONSymbol ? value.value : (value as string);
}

/** The total order MongoDB uses for sorting, equality and range predicates. */
export function compareValues(a: BsonValue, b: BsonValue): Ordering {
  const byType = order(canonicalTypeRank(a) - canonicalTypeRank(b));
  if (byType !== 0) return byType;
  if (a === null || a === undefined) return 0;
  if (typeof a === 'boolean') return order(Number(a) - Number(b));
  if (typeof a === 'string' || a instanceof BSONSymbol)
    return compareStrings(stringOf(a), stringOf(b));
  if (isNumber(a)) return compareNumbers(a, b as Int32 | Long | Double | Decimal128);
  if (Array.isArray(a)) return compareArrays(a, b as BsonValue[]);
  if (a instanceof Date) return compareDates(a, b as Date);
  if (a instanceof ObjectId) return compareBytes(a.id, (b as ObjectId).id);
  if (a instanceof Binary) return compareBinaries(a, b as Binary);
  if (a instanceof Timestamp) return a.compare(b as Timestamp);
  if (a instanceof BSONRegExp) return compareRegExps(a, b as BSONRegExp);
  if (a instanceof Code) return compareCodes(a, b as Code);
  if (a instanceof DBRef || b instanceof DBRef || isPlainObject(a)) {
    const left = a instanceof DBRef ? dbRefToDocument(a) : (a as BsonDocument);
    const right = b instanceof DBRef ? dbRefToDocument(b) : (b as BsonDocument);
    return compareDocuments(left, right);
  }
  // MinKey and MaxKey: all values of the type are equal.
  return 0;
}

function isPlainObject(value: BsonValue): value is BsonDocument {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function compareDates(a: Date, b: Date): Ordering {
  return order(a.getTime() - b.getTime());
}

function compareBinaries(a: Binary, b: Binary): Ordering {
  const byLength = order(a.position - b.position);
  if (byLength !== 0) return byLength;
  const bySubtype = order(a.sub_type - b.sub_type);
  if (bySubtype !== 0) return bySubtype;
  return compareBytes(a.buffer.subarray(0, a.position), b.buffer.subarray(0, b.position));
}

function compareRegExps(a: BSONRegExp, b: BSONRegExp): Ordering {
  return compareStrings(a.pattern, b.pattern) || compareStrings(a.options, b.options);
}

function compareCodes(a: Code, b: Code): Ordering {
  const byCode = compareStrings(a.code, b.code);
  if (byCode !== 0 || !a.scope || !b.scope) return byCode;
  return compareDocuments(a.scope, b.scope);
}

export function valuesEqual(a: BsonValue, b: BsonValue): boolean {
  return compareValues(a, b) === 0;
}
