/**
 * Equality of non-document, non-array values under the unified format's rules: numbers by
 * value across int32/int64/double (Flexible Numeric Comparisons), everything else by BSON
 * type and content. Documents inside scalars (Code scope, DBRef fields) must match exactly.
 */
import { bsonTag, isDocument, numbersEqual, numericValue, presentKeys } from './bson-values.js';
import { RunnerError } from './runner-error.js';

type Fields = Record<string, unknown>;

function bytesOf(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (bsonTag(value) === 'Binary') return (value as { buffer: Uint8Array }).buffer;
  return undefined;
}

function bytesEqual(left: Uint8Array, right: Uint8Array): boolean {
  return left.length === right.length && left.every((byte, index) => byte === right[index]);
}

function regexParts(value: unknown): { pattern: string; options: string } | undefined {
  if (value instanceof RegExp) return { pattern: value.source, options: value.flags };
  if (bsonTag(value) === 'BSONRegExp') {
    const regex = value as { pattern: string; options: string };
    return { pattern: regex.pattern, options: regex.options };
  }
  return undefined;
}

function sortedFlags(flags: string): string {
  return [...flags].sort().join('');
}

/** Exact deep equality for documents embedded in scalars; key order is free. */
export function exactlyEqual(expected: unknown, actual: unknown): boolean {
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((item, index) => exactlyEqual(item, actual[index]))
    );
  }
  if (isDocument(expected)) {
    if (!isDocument(actual)) return false;
    const keys = presentKeys(expected);
    if (keys.length !== presentKeys(actual).length) return false;
    return keys.every((key) => exactlyEqual(expected[key], actual[key]));
  }
  return scalarsEqual(expected, actual);
}

function taggedEqual(tag: string, expected: Fields, actual: Fields): boolean {
  switch (tag) {
    case 'ObjectId':
      return (expected as { equals(other: unknown): boolean }).equals(actual);
    case 'Timestamp':
    case 'Decimal128':
      return (
        (expected as { toString(): string }).toString() ===
        (actual as { toString(): string }).toString()
      );
    case 'BSONSymbol':
      return expected['value'] === actual['value'];
    case 'MinKey':
    case 'MaxKey':
      return true;
    case 'Code':
      return (
        expected['code'] === actual['code'] &&
        exactlyEqual(expected['scope'] ?? null, actual['scope'] ?? null)
      );
    case 'DBRef':
      return (
        expected['collection'] === actual['collection'] &&
        expected['db'] === actual['db'] &&
        exactlyEqual(expected['oid'], actual['oid']) &&
        exactlyEqual(expected['fields'] ?? {}, actual['fields'] ?? {})
      );
    case 'Binary': {
      const expectedBytes = bytesOf(expected);
      const actualBytes = bytesOf(actual);
      return (
        expected['sub_type'] === actual['sub_type'] &&
        expectedBytes !== undefined &&
        actualBytes !== undefined &&
        bytesEqual(expectedBytes, actualBytes)
      );
    }
    default:
      throw new RunnerError(`runner cannot compare BSON type ${tag}`);
  }
}

export function scalarsEqual(expected: unknown, actual: unknown): boolean {
  const expectedNumber = numericValue(expected);
  const actualNumber = numericValue(actual);
  if (expectedNumber !== undefined || actualNumber !== undefined) {
    return (
      expectedNumber !== undefined &&
      actualNumber !== undefined &&
      numbersEqual(expectedNumber, actualNumber)
    );
  }
  if (expected === null || typeof expected !== 'object') return expected === actual;
  if (expected instanceof Date)
    return actual instanceof Date && actual.getTime() === expected.getTime();
  const expectedRegex = regexParts(expected);
  if (expectedRegex !== undefined) {
    const actualRegex = regexParts(actual);
    return (
      actualRegex !== undefined &&
      actualRegex.pattern === expectedRegex.pattern &&
      sortedFlags(actualRegex.options) === sortedFlags(expectedRegex.options)
    );
  }
  const tag = bsonTag(expected);
  if (tag === undefined) throw new RunnerError('scalarsEqual called with a document or array');
  // Binary data arrives as a Buffer when the driver promotes buffers; compare bytes then.
  if (tag === 'Binary' && actual instanceof Uint8Array) {
    const expectedBinary = expected as unknown as { sub_type: number; buffer: Uint8Array };
    return expectedBinary.sub_type === 0 && bytesEqual(expectedBinary.buffer, actual);
  }
  if (bsonTag(actual) !== tag) return false;
  return taggedEqual(tag, expected as unknown as Fields, actual as Fields);
}
