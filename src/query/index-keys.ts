/**
 * Index key generation (BtreeKeyGenerator in btree_key_generator.cpp): the keys a document
 * has under a key pattern. Sort keys are the first of these keys in the sort's order, so
 * sorting and indexes share this one reading of paths:
 *
 * - one array along the paths is expanded into one key per element; a nested array is a
 *   key value as a whole;
 * - several paths may traverse the same array together ({a: [{b, c}]} under {a.b, a.c}
 *   gives one key per element, not a cross product); two different arrays are "parallel"
 *   and rejected;
 * - a missing value is null, an empty array is undefined (so it sorts before null);
 * - a numeric component after an array selects that element (positional key patterns).
 */
import { MongoError } from '../errors/mongo-error.js';
import type { BsonArray, BsonDocument, BsonValue } from '../bson/types.js';
import { assert } from '../util/assert.js';
import { asDocument, getArrayMember, getField, getMember, MISSING } from './path.js';
import type { MaybeValue } from './path.js';

export type IndexKey = BsonValue[];

interface Extracted {
  value: MaybeValue;
  /** The path left after an array the walk stopped at ('' at the end). */
  rest: string;
  /** The name of the field holding `value`, for the parallel-arrays message. */
  name: string;
}

/** What a positional component (a.1.b with a an array) selects, computed once per array. */
interface PositionalInfo {
  element: MaybeValue;
  array: BsonArray | undefined;
  dotted: Extracted | undefined;
}

const noPositional: PositionalInfo = { element: MISSING, array: undefined, dotted: undefined };
const emptyDocument: BsonDocument = Object.freeze({});

/**
 * dotted_path_support::extractElementAtPathOrArrayAlongPath: walks documents along `path`
 * and stops at the first array, returning the rest of the path after it.
 */
function extractAlongPath(container: BsonDocument | BsonArray, path: string): Extracted {
  const dot = path.indexOf('.');
  const name = dot < 0 ? path : path.slice(0, dot);
  const rest = dot < 0 ? '' : path.slice(dot + 1);
  const value = getMember(container, name);
  if (value === MISSING) return { value, rest, name };
  if (Array.isArray(value) || rest === '') return { value, rest, name };
  const sub = asDocument(value);
  if (sub === undefined) return { value: MISSING, rest, name };
  return extractAlongPath(sub, rest);
}

function extractNext(
  doc: BsonDocument,
  positional: PositionalInfo,
  path: string,
): Extracted & { nested: boolean } {
  const dot = path.indexOf('.');
  const first = dot < 0 ? path : path.slice(0, dot);
  const haveField = getField(doc, first) !== MISSING;
  if (haveField && positional.element !== MISSING) {
    throw new MongoError(
      16746,
      `Ambiguous field name found in array (do not use numeric field names in embedded ` +
        `elements in an array), field: '${first}' for array: ${describeArray(positional.array)}`,
    );
  }
  if (haveField) return { ...extractAlongPath(doc, path), nested: false };
  if (positional.element !== MISSING && positional.dotted !== undefined) {
    return { ...positional.dotted, nested: Array.isArray(positional.element) };
  }
  return { value: MISSING, rest: '', name: first, nested: false };
}

function describeArray(array: BsonArray | undefined): string {
  return array === undefined ? '[]' : `[ ${array.length} elements ]`;
}

/**
 * Calls `visit` with every key of `doc` under the key pattern's `paths`, possibly with
 * duplicates. Throws CannotIndexParallelArrays when two paths traverse different arrays.
 */
export function forEachIndexKey(
  doc: BsonDocument,
  paths: readonly string[],
  visit: (key: IndexKey) => void,
): void {
  assert(paths.length > 0, 'a key pattern has at least one path');
  const positional = paths.map(() => noPositional);
  keysWithArray(
    [...paths],
    paths.map(() => null),
    doc,
    positional,
    visit,
  );
}

function keysWithArray(
  names: string[],
  fixed: BsonValue[],
  doc: BsonDocument,
  positional: readonly PositionalInfo[],
  visit: (key: IndexKey) => void,
): void {
  let array: BsonArray | undefined;
  let arrayName = '';
  const arrayFields: number[] = [];
  let mayExpand = true;
  for (let i = 0; i < names.length; i++) {
    if (names[i] === '') continue;
    const found = extractNext(doc, positional[i] as PositionalInfo, names[i] as string);
    names[i] = found.rest;
    if (found.value === MISSING) {
      fixed[i] = null;
      names[i] = '';
    } else if (Array.isArray(found.value)) {
      arrayFields.push(i);
      if (array === undefined) {
        array = found.value;
        arrayName = found.name;
      } else if (found.value !== array) {
        throw new MongoError(
          'CannotIndexParallelArrays',
          `cannot index parallel arrays [${found.name}] [${arrayName}]`,
        );
      }
      if (found.nested) mayExpand = false;
    } else {
      fixed[i] = found.value;
    }
  }
  if (array === undefined) {
    visit(fixed.slice());
  } else if (array.length === 0) {
    // An empty array is keyed as undefined where it ends a path, and null below it.
    keysForElement(
      names,
      fixed,
      undefined,
      array,
      arrayFields,
      true,
      positional.map(() => noPositional),
      visit,
    );
  } else {
    const sub = positionalInfos(names, array);
    for (const element of array)
      keysForElement(names, fixed, element, array, arrayFields, mayExpand, sub, visit);
  }
}

function positionalInfos(names: readonly string[], array: BsonArray): PositionalInfo[] {
  return names.map((name) => {
    if (name === '') return noPositional;
    const dot = name.indexOf('.');
    const element = getArrayMember(array, dot < 0 ? name : name.slice(0, dot));
    if (element === MISSING) return noPositional;
    return { element, array, dotted: extractAlongPath(array, name) };
  });
}

function keysForElement(
  names: readonly string[],
  fixed: readonly BsonValue[],
  element: BsonValue,
  array: BsonArray,
  arrayFields: readonly number[],
  mayExpand: boolean,
  positional: readonly PositionalInfo[],
  visit: (key: IndexKey) => void,
): void {
  const namesCopy = names.slice();
  const fixedCopy = fixed.slice();
  for (const i of arrayFields) if (namesCopy[i] === '') fixedCopy[i] = mayExpand ? element : array;
  const sub = Array.isArray(element) ? undefined : asDocument(element);
  keysWithArray(namesCopy, fixedCopy, sub ?? emptyDocument, positional, visit);
}
