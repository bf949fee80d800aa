/**
 * Find projection specifications to a tree (projection_parser.cpp, MongoDB 4.4+): dotted
 * and nested specs share one tree, so {"a.b": 1, a: {c: 1}} and collisions such as
 * {a: 1, "a.b": 1} are detected the same way; the projection is an inclusion or an
 * exclusion, decided by its first non-_id field or by find's compatibility rules.
 */
import type { BsonDocument, BsonValue } from '../bson/types.js';
import { isDocument, isNumber } from '../bson/types.js';
import { MongoError } from '../errors/mongo-error.js';
import { describeValue, renderValue, typeNameOf } from './describe.js';
import { validateFieldPath } from './field-path.js';
import { compileFilter } from './filter/compile-filter.js';
import { banAllSpecialFeatures } from './filter/filter-options.js';
import type { CompileExpression } from './filter/filter-options.js';
import { asDocument } from './path.js';
import { parseFindSlice } from './projection-slice.js';
import { trueValue } from './filter/parse-operators.js';
import type { ProjectionNode, ProjectionPathNode } from './projection-tree.js';
import { addNodeAtPath, newPathNode } from './projection-tree.js';

export type ProjectionType = 'inclusion' | 'exclusion';

export interface ParsedProjection {
  readonly root: ProjectionPathNode;
  readonly type: ProjectionType;
}

interface ParseState {
  type: ProjectionType | undefined;
  idSpecified: boolean;
  hasPositional: boolean;
  hasElemMatch: boolean;
  hasFindSlice: boolean;
  idIncludedEntirely: boolean;
  idExcludedEntirely: boolean;
  readonly compileExpression: CompileExpression | undefined;
}

export function parseProjection(
  spec: BsonDocument,
  compileExpression?: CompileExpression,
): ParsedProjection {
  const root = newPathNode();
  const state: ParseState = {
    type: undefined,
    idSpecified: false,
    hasPositional: false,
    hasElemMatch: false,
    hasFindSlice: false,
    idIncludedEntirely: false,
    idExcludedEntirely: false,
    compileExpression,
  };
  for (const [name, value] of Object.entries(spec)) {
    if (name === '_id' || name.startsWith('_id.')) state.idSpecified = true;
    parseElement(state, name, value, root, true);
  }
  const type = state.type ?? defaultType(state);
  if (!state.idSpecified && type === 'inclusion') root.children.set('_id', { kind: 'include' });
  // {_id: 1} in an exclusion projection is legal and changes nothing.
  if (type === 'exclusion' && state.idIncludedEntirely) root.children.delete('_id');
  return { root, type };
}

/** computeProjectionType: find's rules for projections without a plain field. */
function defaultType(state: ParseState): ProjectionType {
  if (state.hasFindSlice) return state.idIncludedEntirely ? 'inclusion' : 'exclusion';
  if (state.hasElemMatch) return 'inclusion';
  if (state.idIncludedEntirely) return 'inclusion';
  return 'exclusion';
}

function parseElement(
  state: ParseState,
  name: string,
  value: BsonValue,
  parent: ProjectionPathNode,
  isRoot: boolean,
): void {
  const positional = name.endsWith('.$');
  if (name.includes('.$.')) {
    throw new MongoError(
      31394,
      "As of 4.4, it's illegal to specify positional operator in the middle of a path.Positional " +
        'projection may only be used at the end, for example: a.b.$. If the query previously used a ' +
        "form like a.b.$.d, remove the parts following the '$' and the results will be equivalent.",
    );
  }
  const sub = isDocument(value) ? value : asDocument(value);
  if (sub !== undefined) {
    if (positional)
      throw new MongoError(
        31271,
        'positional projection cannot be used with an expression or sub object',
      );
    parseSubObject(state, name, sub, parent, isRoot);
  } else if (typeof value === 'boolean' || isNumber(value)) {
    // trueValue: zero and false exclude, anything else (NaN too) includes.
    if (trueValue(value)) {
      parseInclusion(state, name, parent, isRoot);
    } else {
      if (positional)
        throw new MongoError(31395, 'positional projection cannot be used with exclusion');
      parseExclusion(state, name, parent, isRoot);
    }
  } else {
    if (positional)
      throw new MongoError(31308, 'positional projection cannot be used with a literal');
    parseLiteral(state, name, value, parent);
  }
}

function parseSubObject(
  state: ParseState,
  name: string,
  sub: BsonDocument,
  parent: ProjectionPathNode,
  isRoot: boolean,
): void {
  const names = Object.keys(sub);
  if (names.length === 0) throw new MongoError(51270, `Invalid empty sub-projection: ${name}`);
  const first = names[0] as string;
  if (
    names.length === 1 &&
    first.startsWith('$') &&
    parseOperator(state, name, sub, parent, isRoot)
  )
    return;
  const parts = validateFieldPath(name);
  const existing = findInnerNode(parent, parts);
  const node = existing ?? newPathNode();
  if (existing === undefined) addNodeAtPath(parent, parts, node);
  for (const [childName, childValue] of Object.entries(sub))
    parseElement(state, childName, childValue, node, false);
}

function findInnerNode(
  parent: ProjectionPathNode,
  parts: readonly string[],
): ProjectionPathNode | undefined {
  let node: ProjectionNode | undefined = parent;
  for (const part of parts) {
    node = node.kind === 'path' ? node.children.get(part) : undefined;
    if (node === undefined) return undefined;
  }
  return node.kind === 'path' ? node : undefined;
}

/** A one-field $-object: $slice, $elemMatch, $meta or an aggregation expression. */
function parseOperator(
  state: ParseState,
  name: string,
  sub: BsonDocument,
  parent: ProjectionPathNode,
  isRoot: boolean,
): boolean {
  const operator = Object.keys(sub)[0] as string;
  const argument = sub[operator];
  if (operator === '$slice') {
    parseSlice(state, name, sub, argument, parent);
  } else if (operator === '$elemMatch') {
    parseElemMatchProjection(state, name, argument, parent, isRoot);
  } else if (operator === '$meta') {
    throw new MongoError('NotImplemented', `$meta projection is not supported by Shoal: ${name}`);
  } else if (operator === '$id' || operator === '$ref' || operator === '$db') {
    // A DBRef field name, so this is a sub-projection.
    return false;
  } else {
    if (state.type === 'exclusion') {
      throw new MongoError(31252, 'Cannot use expression other than $meta in exclusion projection');
    }
    state.type ??= 'inclusion';
    addNodeAtPath(parent, validateFieldPath(name), {
      kind: 'expression',
      evaluate: compileProjectionExpression(state, sub),
    });
  }
  return true;
}

function compileProjectionExpression(
  state: ParseState,
  expression: BsonValue,
): (root: BsonDocument) => BsonValue {
  if (state.compileExpression === undefined) {
    throw new MongoError(
      'NotImplemented',
      'projection expressions need aggregation expressions, which are not available here',
    );
  }
  try {
    return state.compileExpression(expression);
  } catch (error) {
    const operator = isDocument(expression) ? Object.keys(expression)[0] : undefined;
    if (
      error instanceof MongoError &&
      error.codeName === 'InvalidPipelineOperator' &&
      operator !== undefined
    ) {
      throw new MongoError(31325, `Unknown expression ${operator}`);
    }
    throw error;
  }
}

/** The find() $slice, or failing that the aggregation $slice expression. */
function parseSlice(
  state: ParseState,
  name: string,
  sub: BsonDocument,
  argument: BsonValue,
  parent: ProjectionPathNode,
): void {
  const parts = validateFieldPath(name);
  let findError: MongoError;
  try {
    const { skip, limit } = parseFindSlice(argument);
    addNodeAtPath(parent, parts, { kind: 'slice', skip, limit });
    state.hasFindSlice = true;
    return;
  } catch (error) {
    if (!(error instanceof MongoError)) throw error;
    findError = error;
  }
  const context =
    `Invalid $slice syntax. The given syntax ${renderValue(sub)} did not match the find() syntax because :: ` +
    `Location${findError.code}: ${findError.message} :: The given syntax did not match the expression $slice syntax.`;
  if (state.compileExpression === undefined) throw new MongoError(findError.code, context);
  let evaluate: (root: BsonDocument) => BsonValue;
  try {
    evaluate = state.compileExpression(sub);
  } catch (error) {
    if (!(error instanceof MongoError)) throw error;
    throw new MongoError(error.code, `${context} :: caused by :: ${error.message}`);
  }
  if (state.type === 'exclusion') {
    throw new MongoError(31252, 'Cannot use expression other than $meta in exclusion projection');
  }
  state.type ??= 'inclusion';
  addNodeAtPath(parent, parts, { kind: 'expression', evaluate });
}

function parseElemMatchProjection(
  state: ParseState,
  name: string,
  argument: BsonValue,
  parent: ProjectionPathNode,
  isRoot: boolean,
): void {
  const filter = isDocument(argument) ? argument : asDocument(argument);
  if (filter === undefined) {
    throw new MongoError(
      31274,
      `elemMatch: Invalid argument, object required, but got ${typeNameOf(argument)}`,
    );
  }
  if (state.hasPositional)
    throw new MongoError(31255, 'Cannot specify positional operator and $elemMatch.');
  const parts = validateFieldPath(name);
  if (parts.length !== 1 || !isRoot)
    throw new MongoError(31275, 'Cannot use $elemMatch projection on a nested field.');
  const matcher = compileFilter(
    { [name]: { $elemMatch: filter } },
    { allow: banAllSpecialFeatures },
  );
  addNodeAtPath(parent, parts, { kind: 'elemMatch', matcher });
  state.hasElemMatch = true;
}

function parseInclusion(
  state: ParseState,
  name: string,
  parent: ProjectionPathNode,
  isRoot: boolean,
): void {
  const topLevelId = name === '_id' && isRoot;
  if (!name.endsWith('.$')) {
    addNodeAtPath(parent, validateFieldPath(name), { kind: 'include' });
    if (topLevelId) state.idIncludedEntirely = true;
  } else {
    if (state.hasPositional)
      throw new MongoError(31276, 'Cannot specify more than one positional projection per query.');
    if (state.hasElemMatch)
      throw new MongoError(31256, 'Cannot specify positional operator and $elemMatch.');
    if (name === '.$') throw new MongoError(5392900, `Projection on field ${name} is invalid`);
    addNodeAtPath(parent, validateFieldPath(name.slice(0, -2)), { kind: 'positional' });
    state.hasPositional = true;
  }
  if (topLevelId) return;
  if (state.type === 'exclusion') {
    throw new MongoError(31253, `Cannot do inclusion on field ${name} in exclusion projection`);
  }
  state.type = 'inclusion';
}

function parseExclusion(
  state: ParseState,
  name: string,
  parent: ProjectionPathNode,
  isRoot: boolean,
): void {
  addNodeAtPath(parent, validateFieldPath(name), { kind: 'exclude' });
  if (name === '_id' && isRoot) {
    state.idExcludedEntirely = true;
    return;
  }
  if (state.type === 'inclusion') {
    throw new MongoError(31254, `Cannot do exclusion on field ${name} in inclusion projection`);
  }
  state.type = 'exclusion';
}

/** A value that is neither a flag nor a document: a literal or a "$path" expression. */
function parseLiteral(
  state: ParseState,
  name: string,
  value: BsonValue,
  parent: ProjectionPathNode,
): void {
  const evaluate = compileProjectionExpression(state, value);
  addNodeAtPath(parent, validateFieldPath(name), { kind: 'expression', evaluate });
  if (state.type === 'exclusion') {
    throw new MongoError(
      31310,
      `Cannot use an expression ${describeValue(name, value)} in an exclusion projection`,
    );
  }
  state.type = 'inclusion';
}
