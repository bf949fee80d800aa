/**
 * Update paths (FieldRef, field_checker.cpp): dotted field names split into parts, the
 * positional '$' and '$[<identifier>]' parts, array indexes, and the order in which the
 * update tree visits sibling fields.
 */
import { compareStrings } from '../../bson/compare.js';
import { MongoError } from '../../errors/mongo-error.js';

/** FieldRef::parse: "" has no parts; "a..b" has an empty middle part. */
export function splitPath(path: string): string[] {
  return path.length === 0 ? [] : path.split('.');
}

/** fieldchecker::isUpdatable: no empty path and no empty part. */
export function checkUpdatable(parts: readonly string[], dotted: string): void {
  if (parts.length === 0) {
    throw new MongoError('EmptyFieldName', 'An empty update path is not valid.');
  }
  if (parts.some((part) => part.length === 0)) {
    throw new MongoError(
      'EmptyFieldName',
      `The update path '${dotted}' contains an empty field name, which is not allowed.`,
    );
  }
}

export function isPositionalPart(part: string): boolean {
  return part === '$';
}

/** fieldchecker::isArrayFilterIdentifier: "$[]" or "$[<identifier>]". */
export function isArrayFilterPart(part: string): boolean {
  return part.length >= 3 && part.startsWith('$[') && part.endsWith(']');
}

/** The identifier inside "$[<identifier>]"; "" for "$[]". */
export function arrayFilterIdentifier(part: string): string {
  return part.slice(2, -1);
}

/** At most one positional '$', and not first (UpdateObjectNode::parseAndMerge). */
export function checkPositionalParts(parts: readonly string[], dotted: string): boolean {
  const count = parts.filter(isPositionalPart).length;
  if (count === 0) return false;
  if (count > 1) {
    throw new MongoError(
      'BadValue',
      `Too many positional (i.e. '$') elements found in path '${dotted}'`,
    );
  }
  if (isPositionalPart(parts[0] as string)) {
    throw new MongoError(
      'BadValue',
      `Cannot have positional (i.e. '$') element in the first position in path '${dotted}'`,
    );
  }
  return true;
}

/** Whether the path has '$' or '$[...]' anywhere ($rename rejects both). */
export function isDynamicPath(parts: readonly string[]): boolean {
  return parts.some((part) => isPositionalPart(part) || isArrayFilterPart(part));
}

const arrayIndexMax = 0xffffffff;

/**
 * str::parseUnsignedBase10Integer: ASCII digits only (leading zeros allowed, no sign), and
 * the value must fit in 32 unsigned bits. Anything else is a field name, not an index.
 */
export function parseArrayIndex(part: string): number | undefined {
  if (part.length === 0) return undefined;
  let index = 0;
  for (let i = 0; i < part.length; i++) {
    const digit = part.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return undefined;
    index = index * 10 + digit;
    if (index > arrayIndexMax) return undefined;
  }
  return index;
}

function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * pathsupport::cmpPathsAndArrayIndexes, the order of an update node's children: numeric
 * names by value ("9" before "10"), zero-padded and other names by bytes. MongoDB 5.0+
 * applies update operators in this order, which decides where new fields land.
 */
export function comparePathParts(a: string, b: string): number {
  if (a === b) return 0;
  return pathPartLess(a, b) ? -1 : pathPartLess(b, a) ? 1 : 0;
}

function pathPartLess(a: string, b: string): boolean {
  const aBytes = Buffer.byteLength(a);
  const bBytes = Buffer.byteLength(b);
  const plain =
    aBytes === 0 ||
    bBytes === 0 ||
    !isDigitCode(a.charCodeAt(0)) ||
    !isDigitCode(b.charCodeAt(0)) ||
    (a[0] === '0' && aBytes > 1) ||
    (b[0] === '0' && bBytes > 1);
  if (plain) return compareStrings(a, b) < 0;
  if (aBytes !== bBytes) return aBytes < bBytes;
  for (let i = 0; i < a.length && i < b.length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (!isDigitCode(x) || !isDigitCode(y)) break;
    if (x !== y) return x < y;
  }
  return compareStrings(a, b) < 0;
}

/** FieldRef::isPrefixOf: a strict prefix, part by part. */
export function isStrictPrefix(prefix: readonly string[], path: readonly string[]): boolean {
  if (prefix.length >= path.length) return false;
  return prefix.every((part, i) => part === path[i]);
}
