/**
 * $addFields and its alias $set (AddFieldsProjectionExecutor): every value is an expression,
 * and a nested object without an operator is a nested specification, so {a: {b: 1}} sets
 * a.b and keeps a's other fields. Setting below an array sets the field in every element,
 * turning scalars into documents; expressions see the input document, not partial output.
 */
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { renderValue, typeNameOf } from '../../query/describe.js';
import { validateFieldName, validateFieldPath } from '../../query/field-path.js';
import { setField } from '../expressions/field-path.js';
import type { BoundExpression, StageCompiler } from '../pipeline-compiler.js';
import type { ParseContext, StageDefinition } from '../pipeline-context.js';
import { TransformDefinition, withContext } from './stage-support.js';

type AddFieldsNode =
  | { readonly kind: 'expression'; readonly evaluate: BoundExpression }
  | { readonly kind: 'path'; readonly children: Map<string, AddFieldsNode> };

type PathNode = Extract<AddFieldsNode, { kind: 'path' }>;

function conflict(spec: BsonDocument, path: string, other: string): MongoError {
  return new MongoError(
    40176,
    `specification contains two conflicting paths. Cannot specify both '${path}' and '${other}': ${renderValue(spec)}`,
  );
}

interface TreeBuilder {
  readonly spec: BsonDocument;
  readonly compiler: StageCompiler;
  /** Full paths of the nodes added so far, for conflict messages. */
  readonly paths: Map<AddFieldsNode, string>;
}

/** The path node at `parts` below `node`, created as needed. */
function pathNodeAt(
  builder: TreeBuilder,
  node: PathNode,
  parts: readonly string[],
  path: string,
): PathNode {
  let current = node;
  for (const part of parts) {
    let child = current.children.get(part);
    if (child === undefined) {
      child = { kind: 'path', children: new Map() };
      current.children.set(part, child);
      builder.paths.set(child, path);
    }
    if (child.kind !== 'path') throw conflict(builder.spec, path, builder.paths.get(child) ?? part);
    current = child;
  }
  return current;
}

function addExpression(
  builder: TreeBuilder,
  node: PathNode,
  name: string,
  path: string,
  value: BsonValue,
): void {
  const existing = node.children.get(name);
  if (existing !== undefined)
    throw conflict(builder.spec, path, builder.paths.get(existing) ?? name);
  const child: AddFieldsNode = { kind: 'expression', evaluate: builder.compiler.expression(value) };
  node.children.set(name, child);
  builder.paths.set(child, path);
}

function isExpressionObject(value: BsonDocument): boolean {
  const first = Object.keys(value)[0];
  return first !== undefined && first.startsWith('$');
}

function addElement(
  builder: TreeBuilder,
  node: PathNode,
  parts: string[],
  path: string,
  value: BsonValue,
): void {
  const parent = pathNodeAt(builder, node, parts.slice(0, -1), path);
  const last = parts[parts.length - 1] as string;
  if (isDocument(value) && !isExpressionObject(value)) {
    const child = pathNodeAt(builder, parent, [last], path);
    for (const [name, nested] of Object.entries(value)) {
      if (name.includes('.')) {
        throw new MongoError(
          40183,
          `cannot use dotted field name '${name}' in a sub object: ${renderValue(builder.spec)}`,
        );
      }
      validateFieldName(name);
      addElement(builder, child, [name], `${path}.${name}`, nested);
    }
  } else {
    addExpression(builder, parent, last, path, value);
  }
}

/** The $addFields tree of a specification. */
function parseAddFields(spec: BsonDocument, compiler: StageCompiler): PathNode {
  const root: PathNode = { kind: 'path', children: new Map() };
  const builder: TreeBuilder = { spec, compiler, paths: new Map() };
  for (const [path, value] of Object.entries(spec)) {
    addElement(builder, root, validateFieldPath(path), path, value);
  }
  return root;
}

function applyNode(node: PathNode, doc: BsonDocument, root: BsonDocument): BsonDocument {
  const out: BsonDocument = { ...doc };
  for (const [name, child] of node.children) {
    if (child.kind === 'expression') {
      const value = child.evaluate(root);
      if (value === undefined) delete out[name];
      else setField(out, name, value);
    } else {
      const existing = Object.hasOwn(out, name) ? out[name] : undefined;
      setField(out, name, applyToValue(child, existing, root));
    }
  }
  return out;
}

/** Documents are updated, arrays element by element, anything else becomes a new document. */
function applyToValue(node: PathNode, value: BsonValue | undefined, root: BsonDocument): BsonValue {
  if (isDocument(value)) return applyNode(node, value, root);
  if (Array.isArray(value)) return value.map((element) => applyToValue(node, element, root));
  return applyNode(node, {}, root);
}

/** A compiled $addFields, also used by pipeline-style updates. */
export function compileAddFields(
  spec: BsonDocument,
  compiler: StageCompiler,
  name: string,
): (doc: BsonDocument) => BsonDocument {
  const root = withContext(`Invalid ${name}`, () => parseAddFields(spec, compiler));
  return (doc) => applyNode(root, doc, doc);
}

export function parseAddFieldsStage(
  spec: BsonValue,
  context: ParseContext,
  name: string,
): StageDefinition {
  if (!isDocument(spec)) {
    throw new MongoError(
      40272,
      `${name} specification stage must be an object, got ${typeNameOf(spec)}`,
    );
  }
  return new TransformDefinition(
    name,
    spec,
    'ADD_FIELDS',
    compileAddFields(spec, context.compiler, name),
  );
}
