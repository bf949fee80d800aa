/**
 * Evaluating Matches (unified-test-format.md): expected values are query-like. Root-level
 * documents may carry extra fields, nested ones may not; arrays match element by element
 * with the same length; `$$` operators replace a value (or a key's presence) with a check.
 */
import { EJSON } from 'bson';
import type { Document } from 'mongodb';
import {
  compareNumbers,
  describeValue,
  documentFields,
  hasField,
  isDocument,
  numericValue,
  presentKeys,
} from './bson-values.js';
import { exactlyEqual, scalarsEqual } from './scalar-equality.js';
import { matchesTypeName } from './type-names.js';
import { RunnerError } from './runner-error.js';

/** A failed expectation (as opposed to a runner error), with the path where it failed. */
export class MatchError extends Error {
  override name = 'MatchError';
}

/** What $$matchesEntity and $$sessionLsid look up. */
export interface MatchEntities {
  entityValue(name: string): unknown;
  sessionLsid(name: string): Document;
}

export interface MatchOptions {
  /** The elements of a top-level array are root-level documents (find, aggregate, ...). */
  rootElements?: boolean;
}

type Path = string;

function fail(path: Path, message: string): never {
  throw new MatchError(`${path || '(root)'}: ${message}`);
}

/** A document whose first and only key starts with "$$". */
export function specialOperatorName(value: unknown): string | undefined {
  if (!isDocument(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0]!.startsWith('$$') ? keys[0] : undefined;
}

export function assertMatches(
  expected: unknown,
  actual: unknown,
  entities: MatchEntities,
  options: MatchOptions = {},
): void {
  if (Array.isArray(expected) && options.rootElements === true) {
    if (!Array.isArray(actual)) fail('', `expected an array, got ${describeValue(actual)}`);
    if (actual.length !== expected.length) {
      fail(
        '',
        `expected ${expected.length} documents, got ${actual.length}: ${describeValue(actual)}`,
      );
    }
    expected.forEach((item, index) =>
      new Matcher(entities).match(item, actual[index], `[${index}]`, true),
    );
    return;
  }
  new Matcher(entities).match(expected, actual, '', true);
}

class Matcher {
  constructor(private readonly entities: MatchEntities) {}

  match(expected: unknown, actual: unknown, path: Path, root: boolean): void {
    if (isDocument(expected)) {
      const operator = specialOperatorName(expected);
      if (operator !== undefined)
        return this.operator(operator, expected[operator], actual, path, root);
      return this.document(expected, actual, path, root);
    }
    if (Array.isArray(expected)) return this.array(expected, actual, path);
    if (actual === undefined)
      fail(path, `expected ${describeValue(expected)}, but the value is missing`);
    if (
      documentFields(actual) !== undefined ||
      Array.isArray(actual) ||
      !scalarsEqual(expected, actual)
    ) {
      fail(path, `expected ${describeValue(expected)}, got ${describeValue(actual)}`);
    }
  }

  private document(
    expected: Record<string, unknown>,
    value: unknown,
    path: Path,
    root: boolean,
  ): void {
    const actual = documentFields(value);
    if (actual === undefined) fail(path, `expected a document, got ${describeValue(value)}`);
    for (const [key, value] of Object.entries(expected)) {
      const fieldPath = path === '' ? key : `${path}.${key}`;
      const present = hasField(actual, key);
      const operator = specialOperatorName(value);
      if (operator === '$$exists') {
        const wanted = (value as Record<string, unknown>)[operator] === true;
        if (present !== wanted)
          fail(
            fieldPath,
            wanted
              ? 'expected the field to exist'
              : `expected no field, got ${describeValue(actual[key])}`,
          );
        continue;
      }
      if (operator === '$$unsetOrMatches' && !present) continue;
      if (!present) fail(fieldPath, `missing; expected ${describeValue(value)}`);
      this.match(value, actual[key], fieldPath, false);
    }
    if (root) return;
    const extra = presentKeys(actual).filter(
      (key) => !Object.prototype.hasOwnProperty.call(expected, key),
    );
    if (extra.length > 0)
      fail(path, `unexpected fields ${extra.join(', ')} in ${describeValue(actual)}`);
  }

  private array(expected: unknown[], actual: unknown, path: Path): void {
    if (!Array.isArray(actual)) fail(path, `expected an array, got ${describeValue(actual)}`);
    if (actual.length !== expected.length) {
      fail(
        path,
        `expected ${expected.length} elements, got ${actual.length}: ${describeValue(actual)}`,
      );
    }
    expected.forEach((item, index) => this.match(item, actual[index], `${path}[${index}]`, false));
  }

  private operator(
    name: string,
    argument: unknown,
    actual: unknown,
    path: Path,
    root: boolean,
  ): void {
    switch (name) {
      case '$$exists':
        if ((actual !== undefined) !== (argument === true))
          fail(path, `$$exists: ${String(argument)}`);
        return;
      case '$$type':
        return this.type(argument, actual, path);
      case '$$unsetOrMatches':
        if (actual === undefined) return;
        return this.match(argument, actual, path, root);
      case '$$matchesEntity':
        return this.match(this.entities.entityValue(String(argument)), actual, path, root);
      case '$$matchesHexBytes':
        return this.hexBytes(String(argument), actual, path);
      case '$$sessionLsid': {
        const lsid = this.entities.sessionLsid(String(argument));
        if (!exactlyEqual(lsid, actual))
          fail(
            path,
            `expected lsid of ${String(argument)} ${describeValue(lsid)}, got ${describeValue(actual)}`,
          );
        return;
      }
      case '$$lte':
        return this.lessThanOrEqual(argument, actual, path);
      case '$$matchAsDocument':
        if (typeof actual !== 'string')
          fail(path, `$$matchAsDocument needs a string, got ${describeValue(actual)}`);
        return this.match(argument, EJSON.parse(actual, { relaxed: false }), path, false);
      case '$$matchAsRoot':
        return this.match(argument, actual, path, true);
      default:
        throw new RunnerError(`unsupported special operator ${name} at ${path || '(root)'}`);
    }
  }

  private type(argument: unknown, actual: unknown, path: Path): void {
    const names = Array.isArray(argument) ? argument.map(String) : [String(argument)];
    if (actual === undefined && !names.includes('undefined'))
      fail(path, `missing; expected type ${names.join(' or ')}`);
    if (!names.some((name) => matchesTypeName(name, actual))) {
      fail(path, `expected type ${names.join(' or ')}, got ${describeValue(actual)}`);
    }
  }

  private hexBytes(hex: string, actual: unknown, path: Path): void {
    if (!/^([0-9a-fA-F]{2})*$/.test(hex))
      throw new RunnerError(`$$matchesHexBytes: malformed hex "${hex}"`);
    const bytes =
      actual instanceof Uint8Array ? actual : (actual as { buffer?: unknown } | undefined)?.buffer;
    if (!(bytes instanceof Uint8Array)) fail(path, `expected bytes, got ${describeValue(actual)}`);
    if (Buffer.from(bytes).toString('hex') !== hex.toLowerCase()) {
      fail(path, `expected bytes ${hex}, got ${Buffer.from(bytes).toString('hex')}`);
    }
  }

  private lessThanOrEqual(argument: unknown, actual: unknown, path: Path): void {
    const limit = numericValue(argument);
    const value = numericValue(actual);
    if (limit === undefined)
      throw new RunnerError(`$$lte needs a number, got ${describeValue(argument)}`);
    if (value === undefined || compareNumbers(value, limit) > 0) {
      fail(path, `expected a number <= ${describeValue(argument)}, got ${describeValue(actual)}`);
    }
  }
}
