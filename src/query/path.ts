/**
 * MongoDB's dotted paths over the value model. Three readings of "the value at a.b" exist
 * in the server and each has its own function here:
 *
 * - matchPath: what the matcher sees (ElementPath / BSONElementIterator in path.cpp): arrays
 *   of documents are traversed implicitly, a leaf array yields each element and then itself,
 *   a numeric component indexes an array and also names a field in its document elements,
 *   and arrays nested in arrays are not flattened.
 * - getFieldByPath: one value, no implicit traversal (numeric components index arrays).
 * - distinctValues: dotted_path_support::extractAllElementsAlongPath, which distinct uses.
 *
 * Index keys and sort keys follow a fourth reading, in index-keys.ts.
 */
import { DBRef } from 'bson';
import { dbRefToDocument } from '../bson/compare.js';
import type { BsonArray, BsonDocument, BsonValue } from '../bson/types.js';
import { isDocument } from '../bson/types.js';

/** A path that leads nowhere. BSON undefined is a value (JS undefined), so it cannot be. */
export const MISSING: unique symbol = Symbol('missing');
export type Missing = typeof MISSING;
export type MaybeValue = BsonValue | Missing;

/** A dotted path split once, with each component's array index (-1 when not numeric). */
export interface CompiledPath {
  readonly path: string;
  readonly parts: readonly string[];
  readonly indexes: readonly number[];
}

/** Array indexes beyond this cannot exist in a 16 MB document; larger digit runs never match. */
const indexMax = 2 ** 31;

/** str::isAllDigits: non-empty and only ASCII digits. */
export function isAllDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/**
 * The array index a path component names. BSON array field names are canonical ("01" names
 * no element), and the server compares names as strings, so only canonical digits count.
 */
export function arrayIndexOf(part: string): number {
  if (!isAllDigits(part) || (part.length > 1 && part.charCodeAt(0) === 48)) return -1;
  const index = Number(part);
  return index < indexMax ? index : -1;
}

export function compilePath(path: string): CompiledPath {
  const parts = path.split('.');
  return { path, parts, indexes: parts.map(arrayIndexOf) };
}

/**
 * An own field of a document. Plain objects inherit from Object.prototype, so `doc.toString`
 * or `doc.__proto__` must not read as fields; BSON values are never functions.
 */
export function getField(doc: BsonDocument, name: string): MaybeValue {
  const value = doc[name];
  if (value === undefined) return Object.prototype.hasOwnProperty.call(doc, name) ? value : MISSING;
  if (typeof value === 'function' || value === Object.prototype) return MISSING;
  return value;
}

/** Sets a field, including one named "__proto__", which plain assignment would not create. */
export function setField(doc: BsonDocument, name: string, value: BsonValue): void {
  if (name === '__proto__') {
    Object.defineProperty(doc, name, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    doc[name] = value;
  }
}

/** The document a value is, if it is one: DBRef is a document on the wire. */
export function asDocument(value: MaybeValue): BsonDocument | undefined {
  if (isDocument(value)) return value;
  if (value instanceof DBRef) return dbRefToDocument(value);
  return undefined;
}

/** An array element by a field name, as BSON stores arrays ({"0": .., "1": ..}). */
export function getArrayMember(array: BsonArray, name: string): MaybeValue {
  const index = arrayIndexOf(name);
  return index >= 0 && index < array.length ? array[index] : MISSING;
}

/** A field of a document, or a member of an array read as a document. */
export function getMember(container: BsonDocument | BsonArray, name: string): MaybeValue {
  return Array.isArray(container) ? getArrayMember(container, name) : getField(container, name);
}

/**
 * The single value at a path without implicit array traversal: documents are walked by
 * name and arrays only by a numeric component. Used where MongoDB reads one value
 * (positional projection, update targets, _id extraction).
 */
export function getFieldByPath(doc: BsonDocument, path: string | CompiledPath): MaybeValue {
  const parts = typeof path === 'string' ? path.split('.') : path.parts;
  let current: MaybeValue = doc;
  for (const part of parts) {
    if (Array.isArray(current)) {
      current = getArrayMember(current, part);
    } else {
      const container = asDocument(current);
      if (container === undefined) return MISSING;
      current = getField(container, part);
    }
    if (current === MISSING) return MISSING;
  }
  return current;
}

/** matchPath's answer: no value matched, a value matched outside any array, or its index. */
export const noMatch = -2;
export const matchedOutsideArray = -1;

/** A predicate over one value the path yields (MongoDB's matchesSingleElement). */
export type PathTest<D> = (value: MaybeValue, details: D) => boolean;

/**
 * Whether any value the path yields passes `test`, in the server's order. Returns noMatch,
 * matchedOutsideArray, or the index in the outermost implicitly traversed array of the
 * first passing value (the positional `$` element). With `leafArrays` false a leaf array
 * is tested only as a whole ($elemMatch, $size); intermediate arrays are still traversed.
 */
export function matchPath<D>(
  doc: BsonDocument,
  path: CompiledPath,
  test: PathTest<D>,
  leafArrays: boolean,
  details: D,
): number {
  return matchFrom(doc, path, 0, test, leafArrays, details);
}

function matchFrom<D>(
  doc: BsonDocument,
  path: CompiledPath,
  start: number,
  test: PathTest<D>,
  leafArrays: boolean,
  details: D,
): number {
  const last = path.parts.length - 1;
  let container = doc;
  for (let i = start; ; i++) {
    const value = getField(container, path.parts[i] as string);
    if (value === MISSING) return test(MISSING, details) ? matchedOutsideArray : noMatch;
    if (Array.isArray(value)) return matchArray(value, path, i + 1, test, leafArrays, details);
    if (i === last) return test(value, details) ? matchedOutsideArray : noMatch;
    const next = asDocument(value);
    // A scalar before the end of the path yields "missing" (getFieldDottedOrArray).
    if (next === undefined) return test(MISSING, details) ? matchedOutsideArray : noMatch;
    container = next;
  }
}

function matchArray<D>(
  array: BsonArray,
  path: CompiledPath,
  next: number,
  test: PathTest<D>,
  leafArrays: boolean,
  details: D,
): number {
  if (next === path.parts.length) {
    if (!leafArrays) return test(array, details) ? matchedOutsideArray : noMatch;
    for (let j = 0; j < array.length; j++) if (test(array[j], details)) return j;
    return test(array, details) ? matchedOutsideArray : noMatch;
  }
  const index = path.indexes[next] as number;
  const endsAtIndex = next === path.parts.length - 1;
  for (let j = 0; j < array.length; j++) {
    const element = array[j];
    const sub = Array.isArray(element) ? undefined : asDocument(element);
    if (sub !== undefined && matchFrom(sub, path, next, test, leafArrays, details) !== noMatch) {
      // The outermost array's offset wins over any found deeper.
      return j;
    }
    if (j !== index) continue;
    // An explicit index is not implicit traversal: offsets come from below, if any.
    if (endsAtIndex) {
      if (test(element, details)) return matchedOutsideArray;
    } else if (sub !== undefined) {
      const found = matchFrom(sub, path, next + 1, test, leafArrays, details);
      if (found !== noMatch) return found;
    } else if (Array.isArray(element)) {
      const found = matchArray(element, path, next + 1, test, leafArrays, details);
      if (found !== noMatch) return found;
    }
  }
  return noMatch;
}

/** A value the matcher sees at a path, with its outermost array offset (-1 for none). */
export interface PathValue {
  readonly value: MaybeValue;
  readonly arrayIndex: number;
}

/**
 * Every value the matcher would test for `path`, in order, including MISSING where the
 * path ends in a document without the field. For diagnostics, tests and callers that need
 * the whole set; predicates should use matchPath, which stops early and allocates nothing.
 */
export function getPathValues(doc: BsonDocument, path: string | CompiledPath): PathValue[] {
  const compiled = typeof path === 'string' ? compilePath(path) : path;
  const out: PathValue[] = [];
  walkFrom(doc, compiled, 0, -1, out);
  return out;
}

/** matchFrom's traversal, recording every value with the offset MongoDB would report. */
function walkFrom(
  doc: BsonDocument,
  path: CompiledPath,
  start: number,
  offset: number,
  out: PathValue[],
): void {
  const last = path.parts.length - 1;
  let container = doc;
  for (let i = start; ; i++) {
    const value = getField(container, path.parts[i] as string);
    if (Array.isArray(value)) return walkArray(value, path, i + 1, offset, out);
    const next = i === last || value === MISSING ? undefined : asDocument(value);
    if (next === undefined) {
      out.push({ value: i === last ? value : MISSING, arrayIndex: offset });
      return;
    }
    container = next;
  }
}

function walkArray(
  array: BsonArray,
  path: CompiledPath,
  next: number,
  offset: number,
  out: PathValue[],
): void {
  if (next === path.parts.length) {
    array.forEach((value, j) => out.push({ value, arrayIndex: offset >= 0 ? offset : j }));
    out.push({ value: array, arrayIndex: offset });
    return;
  }
  const index = path.indexes[next] as number;
  const endsAtIndex = next === path.parts.length - 1;
  array.forEach((element, j) => {
    const sub = Array.isArray(element) ? undefined : asDocument(element);
    if (sub !== undefined) walkFrom(sub, path, next, offset >= 0 ? offset : j, out);
    if (j !== index) return;
    if (endsAtIndex) out.push({ value: element, arrayIndex: offset });
    else if (sub !== undefined) walkFrom(sub, path, next + 1, offset, out);
    else if (Array.isArray(element)) walkArray(element, path, next + 1, offset, out);
  });
}

/**
 * dotted_path_support::extractAllElementsAlongPath with a trailing array expanded: the
 * values distinct reports for one document. Unlike matching, a field whose name contains
 * the rest of the path literally is found, and no MISSING or whole leaf array is reported.
 */
export function distinctValues(doc: BsonDocument, path: string): BsonValue[] {
  const out: BsonValue[] = [];
  extractAll(doc, path, out);
  return out;
}

function extractAll(container: BsonDocument | BsonArray, path: string, out: BsonValue[]): void {
  const value = getMember(container, path);
  if (value !== MISSING) {
    if (Array.isArray(value)) out.push(...value);
    else out.push(value);
    return;
  }
  const dot = path.indexOf('.');
  if (dot < 0) return;
  const head = getMember(container, path.slice(0, dot));
  const rest = path.slice(dot + 1);
  if (Array.isArray(head)) {
    if (startsWithIndex(rest)) {
      extractAll(head, rest, out);
      return;
    }
    for (const element of head) {
      const sub = Array.isArray(element) ? element : asDocument(element);
      if (sub !== undefined) extractAll(sub, rest, out);
    }
    return;
  }
  const sub = asDocument(head);
  if (sub !== undefined) extractAll(sub, rest, out);
}

/** A leading run of digits that is a whole path component. */
function startsWithIndex(path: string): boolean {
  let i = 0;
  while (i < path.length && path.charCodeAt(i) >= 48 && path.charCodeAt(i) <= 57) i++;
  return i > 0 && (i === path.length || path[i] === '.');
}
