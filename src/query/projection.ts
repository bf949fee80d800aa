/**
 * Find projections (MongoDB 4.4+), executed as the server's projection executor does:
 *
 * 1. inclusion copies the named fields in document order, descending into documents and
 *    arrays of documents (scalars inside such arrays are dropped); exclusion copies all
 *    but the named fields;
 * 2. computed fields (expressions, literals, $elemMatch) are then set in specification
 *    order, after the included fields;
 * 3. find's positional `$` and $slice are applied last, to the projected document.
 */
import type { BsonArray, BsonDocument, BsonValue } from '../bson/types.js';
import { MongoError } from '../errors/mongo-error.js';
import type { MatchDetails } from './filter/compile-filter.js';
import type { CompileExpression } from './filter/filter-options.js';
import { asDocument, getField, MISSING, setField } from './path.js';
import type { MaybeValue } from './path.js';
import { parseProjection } from './projection-parse.js';
import type { ProjectionType } from './projection-parse.js';
import { applySlice } from './projection-slice.js';
import type { ProjectionNode, ProjectionPathNode } from './projection-tree.js';
import { hasComputedFields } from './projection-tree.js';

export type { ProjectionType } from './projection-parse.js';

export interface ProjectionOptions {
  /** Compiles computed fields ({x: {$add: ...}}, {x: '$a'}, literals); required for them. */
  readonly compileExpression?: CompileExpression;
}

/** The top-level fields a projection reads, for covered queries and partial decoding. */
export interface ProjectionDependencies {
  /** Top-level field names the output is built from. */
  readonly fields: readonly string[];
  /** Whether every field may be needed (exclusions, computed fields). */
  readonly wholeDocument: boolean;
}

export interface Projection {
  readonly type: ProjectionType;
  readonly dependencies: ProjectionDependencies;
  /**
   * Projects a document. `details` is what the query's matcher reported for it, needed by
   * a positional projection. The input is never modified; an empty projection returns it.
   */
  apply(doc: BsonDocument, details?: MatchDetails): BsonDocument;
}

interface SliceStep {
  readonly parts: readonly string[];
  readonly skip: number | undefined;
  readonly limit: number;
}

export function compileProjection(spec: BsonDocument, options: ProjectionOptions = {}): Projection {
  const { root, type } = parseProjection(spec, options.compileExpression);
  const slices: SliceStep[] = [];
  const positional: string[][] = [];
  collectFindSteps(root, [], slices, positional);
  const computed = new Set<ProjectionPathNode>();
  collectComputed(root, computed);
  const dependencies: ProjectionDependencies = {
    // An excluded _id in an inclusion projection reads nothing.
    fields: [...root.children.entries()]
      .filter(([, node]) => node.kind !== 'exclude')
      .map(([name]) => name),
    wholeDocument: type === 'exclusion' || computed.size > 0,
  };
  const trivial = type === 'exclusion' && root.children.size === 0 && slices.length === 0;
  const apply = (doc: BsonDocument, details?: MatchDetails): BsonDocument => {
    if (trivial) return doc;
    const context: ApplyContext = { root: doc, computed };
    let out =
      type === 'inclusion' ? includeFields(root, doc, context) : excludeFields(root, doc, context);
    for (const parts of positional) out = applyPositional(out, parts, details);
    for (const step of slices) out = applySlice(out, step.parts, step.skip, step.limit);
    return out;
  };
  return { type, dependencies, apply };
}

interface ApplyContext {
  /** The input document, which computed fields are evaluated against. */
  readonly root: BsonDocument;
  /** Path nodes whose subtree computes a field. */
  readonly computed: ReadonlySet<ProjectionPathNode>;
}

function collectFindSteps(
  node: ProjectionPathNode,
  prefix: string[],
  slices: SliceStep[],
  positional: string[][],
): void {
  for (const [name, child] of node.children) {
    const parts = [...prefix, name];
    if (child.kind === 'slice') slices.push({ parts, skip: child.skip, limit: child.limit });
    else if (child.kind === 'positional') positional.push(parts);
    else if (child.kind === 'path') collectFindSteps(child, parts, slices, positional);
  }
}

function collectComputed(node: ProjectionPathNode, out: Set<ProjectionPathNode>): void {
  for (const child of node.children.values())
    if (child.kind === 'path') collectComputed(child, out);
  if (hasComputedFields(node)) out.add(node);
}

/**
 * InclusionNode: named fields in document order (applyProjections), then computed fields
 * in specification order (applyExpressions). Both passes are done per document here.
 */
function includeFields(
  node: ProjectionPathNode,
  doc: BsonDocument,
  context: ApplyContext,
): BsonDocument {
  const out: BsonDocument = {};
  for (const name of Object.keys(doc)) {
    const child = node.children.get(name);
    if (child === undefined) continue;
    const value = getField(doc, name);
    if (value === MISSING) continue;
    if (child.kind === 'include' || child.kind === 'slice' || child.kind === 'positional') {
      setField(out, name, value);
    } else if (child.kind === 'path') {
      const projected = includeValue(child, value, context);
      if (projected !== MISSING) setField(out, name, projected);
    }
  }
  if (context.computed.has(node)) addComputedFields(node, out, context);
  return out;
}

function includeValue(
  node: ProjectionPathNode,
  value: BsonValue,
  context: ApplyContext,
): MaybeValue {
  if (Array.isArray(value)) {
    const out: BsonArray = [];
    for (const element of value) {
      const projected = includeValue(node, element, context);
      // A scalar is dropped, unless computed fields turn it into a document.
      if (projected !== MISSING) out.push(projected);
      else if (context.computed.has(node)) out.push(computedOnly(node, context));
    }
    return out;
  }
  const doc = asDocument(value);
  return doc === undefined ? MISSING : includeFields(node, doc, context);
}

/** ExclusionNode: everything but the named fields, scalars in arrays kept. */
function excludeFields(
  node: ProjectionPathNode,
  doc: BsonDocument,
  context: ApplyContext,
): BsonDocument {
  const out: BsonDocument = {};
  for (const name of Object.keys(doc)) {
    const value = getField(doc, name);
    if (value === MISSING) continue;
    const child = node.children.get(name);
    if (child?.kind === 'exclude') continue;
    setField(out, name, child?.kind === 'path' ? excludeValue(child, value, context) : value);
  }
  // Only $elemMatch computes fields in an exclusion projection.
  if (context.computed.has(node)) addComputedFields(node, out, context);
  return out;
}

function excludeValue(
  node: ProjectionPathNode,
  value: BsonValue,
  context: ApplyContext,
): BsonValue {
  if (Array.isArray(value)) return value.map((element) => excludeValue(node, element, context));
  const doc = asDocument(value);
  return doc === undefined ? value : excludeFields(node, doc, context);
}

/**
 * Sets the computed fields of `node` in `out`: expressions and $elemMatch, and subtrees
 * with computed fields whose field the first pass did not output (they become documents
 * of their computed fields, as {"a.b": {$literal: 1}} does on {a: 1}).
 */
function addComputedFields(
  node: ProjectionPathNode,
  out: BsonDocument,
  context: ApplyContext,
): void {
  for (const [name, child] of node.children) {
    let value: MaybeValue;
    if (child.kind === 'expression') value = missingIfUndefined(child.evaluate(context.root));
    else if (child.kind === 'elemMatch') value = elemMatchValue(child, name, context.root);
    else if (
      child.kind === 'path' &&
      context.computed.has(child) &&
      getField(out, name) === MISSING
    ) {
      value = computedOnly(child, context);
    } else continue;
    if (value === MISSING) delete out[name];
    else setField(out, name, value);
  }
}

function computedOnly(node: ProjectionPathNode, context: ApplyContext): BsonDocument {
  const out: BsonDocument = {};
  addComputedFields(node, out, context);
  return out;
}

/** Expressions evaluate to JS undefined for "missing"; such fields are not output. */
function missingIfUndefined(value: BsonValue): MaybeValue {
  return value === undefined ? MISSING : value;
}

/** $elemMatch projection: a one-element array with the first match, or nothing. */
function elemMatchValue(
  node: Extract<ProjectionNode, { kind: 'elemMatch' }>,
  name: string,
  root: BsonDocument,
): MaybeValue {
  const found: MatchDetails = {};
  if (!node.matcher(root, found)) return MISSING;
  const array = getField(root, name);
  if (!Array.isArray(array) || found.arrayIndex === undefined) return MISSING;
  return [array[found.arrayIndex]];
}

/**
 * applyFindPositionalProjection: the first array on the path is replaced by the element
 * the query matched in it.
 */
function applyPositional(
  out: BsonDocument,
  parts: readonly string[],
  details: MatchDetails | undefined,
): BsonDocument {
  let current: BsonDocument = out;
  for (let i = 0; i < parts.length; i++) {
    const value = getField(current, parts[i] as string);
    if (Array.isArray(value)) {
      const index = details?.arrayIndex;
      if (index === undefined) {
        throw new MongoError(
          51246,
          "positional operator '.$' couldn't find a matching element in the array",
        );
      }
      if (index >= value.length)
        throw new MongoError(51247, "positional operator '.$' element mismatch");
      return withNestedField(out, parts.slice(0, i + 1), [value[index]]);
    }
    const doc = value === MISSING ? undefined : asDocument(value);
    if (doc === undefined) return out;
    current = doc;
  }
  return out;
}

/** A copy of `doc` with `value` at `parts`, copying the documents along the way. */
function withNestedField(
  doc: BsonDocument,
  parts: readonly string[],
  value: BsonValue,
): BsonDocument {
  const [first, ...rest] = parts as [string, ...string[]];
  const out = { ...doc };
  if (rest.length === 0) {
    setField(out, first, value);
  } else {
    const sub = asDocument(getField(doc, first)) ?? {};
    setField(out, first, withNestedField(sub, rest, value));
  }
  return out;
}
