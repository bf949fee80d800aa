/**
 * FilterNode trees to closures. Each node compiles to two predicates, as MatchExpression
 * has two entry points: one over a document (paths are walked) and one over a single value
 * (matchesSingleElement, used under value-form $elemMatch and for array elements).
 */
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isNumber } from '../../bson/types.js';
import { decimalToParts } from '../../bson/decimal-parts.js';
import { MongoError } from '../../errors/mongo-error.js';
import { assertNever } from '../../util/assert.js';
import { asDocument, compilePath, matchPath, MISSING, noMatch } from '../path.js';
import type { MaybeValue } from '../path.js';
import type { FilterNode, LeafNode } from './filter-node.js';
import type { FilterOptions } from './filter-options.js';
import { parseFilter } from './parse-filter.js';
import { parseJsonSchema } from './json-schema.js';
import { typeSetHas } from './type-set.js';
import { bitsTest, comparisonTest, inTest, modTest, regexTest } from './value-tests.js';

/** Where a match found its array element: the positional `$` of projection and update. */
export interface MatchDetails {
  /** Index of the element in the first array on the matched path. */
  arrayIndex?: number;
}

export type Matcher = (doc: BsonDocument, details?: MatchDetails) => boolean;

type DocumentTest = (doc: BsonDocument, details: MatchDetails | undefined) => boolean;
type ElementTest = (value: MaybeValue, details: MatchDetails | undefined) => boolean;

interface Compiled {
  readonly document: DocumentTest;
  readonly element: ElementTest;
}

/** Parses and compiles a filter. */
export function compileFilter(filter: BsonDocument, options: FilterOptions = {}): Matcher {
  return compileFilterNode(parseFilter(filter, options), options);
}

/** Compiles an already parsed filter. */
export function compileFilterNode(node: FilterNode, options: FilterOptions = {}): Matcher {
  const compiled = compileNode(node, options);
  return (doc, details) => {
    if (details !== undefined) delete details.arrayIndex;
    return compiled.document(doc, details);
  };
}

const never: ElementTest = () => false;

function compileNode(node: FilterNode, options: FilterOptions): Compiled {
  switch (node.kind) {
    case 'and':
    case 'all':
      return compileAnd(node.children.map((child) => compileNode(child, options)));
    case 'or':
      return compileOr(
        node.children.map((child) => compileNode(child, options)),
        false,
      );
    case 'nor':
      return compileOr(
        node.children.map((child) => compileNode(child, options)),
        true,
      );
    case 'not': {
      const child = compileNode(node.child, options);
      return {
        document: (doc) => !child.document(doc, undefined),
        element: (value) => !child.element(value, undefined),
      };
    }
    case 'alwaysTrue':
      return { document: () => true, element: () => true };
    case 'alwaysFalse':
      return { document: () => false, element: never };
    case 'expr':
      return compileExpr(node.expression, options);
    case 'jsonSchema': {
      const validate = parseJsonSchema(node.schema);
      return { document: (doc) => validate(doc), element: never };
    }
    case 'sampleRate': {
      const random = options.random;
      if (random === undefined)
        throw new MongoError('NotImplemented', '$sampleRate needs a random source');
      return { document: () => random.next() < node.rate, element: never };
    }
    case 'compare':
    case 'in':
    case 'regex':
    case 'exists':
    case 'type':
    case 'mod':
    case 'bits':
    case 'size':
    case 'elemMatch':
      return compileLeaf(node, options);
  }
}

function compileAnd(children: readonly Compiled[]): Compiled {
  return {
    document: (doc, details) => {
      for (const child of children) {
        if (child.document(doc, details)) continue;
        if (details !== undefined) delete details.arrayIndex;
        return false;
      }
      return true;
    },
    element: (value, details) => {
      for (const child of children) if (!child.element(value, details)) return false;
      return true;
    },
  };
}

/** $or and $nor do not report array positions (they pass no MatchDetails down). */
function compileOr(children: readonly Compiled[], negate: boolean): Compiled {
  return {
    document: (doc) => {
      for (const child of children) if (child.document(doc, undefined)) return !negate;
      return negate;
    },
    element: (value) => {
      for (const child of children) if (child.element(value, undefined)) return !negate;
      return negate;
    },
  };
}

function compileLeaf(node: LeafNode, options: FilterOptions): Compiled {
  const { test, leafArrays } = elementTest(node, options);
  const path = compilePath(node.path);
  return {
    document: (doc, details) => {
      const found = matchPath(doc, path, test, leafArrays, details);
      if (found === noMatch) return false;
      if (details !== undefined && found >= 0) details.arrayIndex = found;
      return true;
    },
    element: test,
  };
}

function elementTest(
  node: LeafNode,
  options: FilterOptions,
): { test: ElementTest; leafArrays: boolean } {
  const legacyNull = options.nullMatchesUndefined === true;
  switch (node.kind) {
    case 'compare':
      return { test: comparisonTest(node.op, node.value, legacyNull), leafArrays: true };
    case 'in':
      return { test: inTest(node.values, node.regexes, legacyNull), leafArrays: true };
    case 'regex':
      return { test: regexTest(node), leafArrays: true };
    case 'exists':
      return { test: (value) => value !== MISSING, leafArrays: true };
    case 'type': {
      const set = { types: new Set(node.types), allNumbers: node.allNumbers };
      return { test: (value) => value !== MISSING && typeSetHas(set, value), leafArrays: true };
    }
    case 'mod':
      return { test: modTest(node.divisor, node.remainder), leafArrays: true };
    case 'bits':
      return { test: bitsTest(node.test, node.positions, node.mask), leafArrays: true };
    case 'size':
      return {
        test: (value) => Array.isArray(value) && value.length === node.size,
        leafArrays: false,
      };
    case 'elemMatch':
      return { test: elemMatchTest(node, options), leafArrays: false };
    default:
      return assertNever(node, 'unknown filter node');
  }
}

/** ArrayMatchingMatchExpression: only arrays match; the first matching element is recorded. */
function elemMatchTest(
  node: Extract<LeafNode, { kind: 'elemMatch' }>,
  options: FilterOptions,
): ElementTest {
  if (node.form === 'object') {
    const child = compileNode(node.child, options);
    return (value, details) => {
      if (!Array.isArray(value)) return false;
      for (let i = 0; i < value.length; i++) {
        const element = value[i];
        const doc = Array.isArray(element) ? arrayAsDocument(element) : asDocument(element);
        if (doc === undefined || !child.document(doc, undefined)) continue;
        if (details !== undefined) details.arrayIndex = i;
        return true;
      }
      return false;
    };
  }
  const children = node.children.map((child) => compileNode(child, options));
  return (value, details) => {
    if (!Array.isArray(value)) return false;
    for (let i = 0; i < value.length; i++) {
      if (!allMatch(children, value[i])) continue;
      if (details !== undefined) details.arrayIndex = i;
      return true;
    }
    return false;
  };
}

function allMatch(children: readonly Compiled[], element: BsonValue): boolean {
  for (const child of children) if (!child.element(element, undefined)) return false;
  return true;
}

/** An array element that is itself an array is matched as the document BSON stores it as. */
function arrayAsDocument(array: readonly BsonValue[]): BsonDocument {
  const doc: BsonDocument = {};
  array.forEach((value, i) => (doc[String(i)] = value));
  return doc;
}

function compileExpr(expression: BsonValue, options: FilterOptions): Compiled {
  if (options.compileExpression === undefined) {
    throw new MongoError(
      'NotImplemented',
      '$expr needs aggregation expressions, which are not available here',
    );
  }
  const evaluate = options.compileExpression(expression);
  return { document: (doc) => isTruthy(evaluate(doc)), element: never };
}

/** Value::coerceToBool: null, undefined, missing, false and numeric zero are false. */
export function isTruthy(value: BsonValue): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (!isNumber(value)) return true;
  switch (value._bsontype) {
    case 'Int32':
    case 'Double':
      return value.value !== 0;
    case 'Long':
      return !value.isZero();
    case 'Decimal128': {
      const parts = decimalToParts(value);
      return parts.kind !== 'finite' || parts.coefficient !== 0n;
    }
  }
}
