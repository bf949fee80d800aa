/**
 * compileUpdate: an update document becomes a replacement (first field not '$'-prefixed,
 * including the empty document) or a tree of operators (update_driver.cpp). Everything
 * that can be checked without a document is checked here, once.
 */
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { addUpdatePath } from './add-update-path.js';
import type { TreeBuildContext } from './add-update-path.js';
import { applyUpdateNode } from './apply-update-node.js';
import { compileArrayFilters } from './array-filters.js';
import { bsonElementToString, documentToString } from '../../bson/to-string.js';
import {
  checkPositionalParts,
  checkUpdatable,
  isDynamicPath,
  isStrictPrefix,
  splitPath,
} from './field-path.js';
import { finishDocument } from './finish-document.js';
import { checkOperatorSpec, compileOperand, conflictPlaceholder } from './operator-table.js';
import { renameLeaf } from './operators/rename.js';
import { compileReplacement } from './replacement.js';
import type {
  CompiledUpdate,
  CompileUpdateOptions,
  MatcherFactory,
  UpdateContext,
} from './types.js';
import type { ObjectNode } from './update-node.js';
import { newObjectNode, sortChildren } from './update-node.js';
import { WorkingDocument } from './working-document.js';

export function compileUpdate(update: BsonDocument, options: CompileUpdateOptions): CompiledUpdate {
  // parsed_update.cpp parses the array filters before the update itself.
  const filters = compileArrayFilters(options.arrayFilters ?? [], options.compileFilter);
  const first = Object.keys(update)[0];
  if (first === undefined || !first.startsWith('$')) return compileReplacement(update, options);
  const tree: TreeBuildContext = { filters, usedIdentifiers: new Set() };
  const root = newObjectNode();
  for (const [operator, spec] of Object.entries(update)) {
    checkOperatorSpec(operator, spec);
    for (const [field, operand] of Object.entries(spec as BsonDocument)) {
      if (operator === '$rename') addRename(root, field, operand, tree);
      else addOperator(root, operator, field, operand, tree, options.compileFilter);
    }
  }
  for (const identifier of filters.keys()) {
    if (tree.usedIdentifiers.has(identifier)) continue;
    throw new MongoError(
      'FailedToParse',
      `The array filter for identifier '${identifier}' was not used in the update ` +
        documentToString(update),
    );
  }
  sortChildren(root);
  return { kind: 'operators', apply: (doc, context) => applyOperators(root, doc, context) };
}

function addOperator(
  root: ObjectNode,
  operator: string,
  field: string,
  operand: BsonValue,
  tree: TreeBuildContext,
  compileFilter: MatcherFactory,
): void {
  const parts = checkedPath(field);
  const leaf = compileOperand(operator, operand, { field, compileFilter });
  addUpdatePath(root, parts, { kind: 'leaf', leaf }, tree);
}

/** The source reserves its path with a placeholder; the rename itself sits at the target. */
function addRename(
  root: ObjectNode,
  field: string,
  operand: BsonValue,
  tree: TreeBuildContext,
): void {
  const from = checkedPath(field);
  addUpdatePath(root, from, { kind: 'leaf', leaf: conflictPlaceholder }, tree);
  if (typeof operand !== 'string') {
    throw new MongoError(
      'BadValue',
      `The 'to' field for $rename must be a string: ${bsonElementToString(field, operand)}`,
    );
  }
  const to = checkedPath(operand);
  checkRenamePaths(field, operand, from, to);
  addUpdatePath(root, to, { kind: 'leaf', leaf: renameLeaf(from, to) }, tree);
}

/** RenameNode::init. */
function checkRenamePaths(field: string, target: string, from: string[], to: string[]): void {
  const spec = bsonElementToString(field, target);
  if (target.includes('\0')) {
    throw new MongoError(
      'BadValue',
      "The 'to' field for $rename cannot contain an embedded null byte",
    );
  }
  if (from.join('.') === to.join('.')) {
    throw new MongoError(
      'BadValue',
      `The source and target field for $rename must differ: ${spec}`,
    );
  }
  if (isStrictPrefix(from, to) || isStrictPrefix(to, from)) {
    throw new MongoError(
      'BadValue',
      `The source and target field for $rename must not be on the same path: ${spec}`,
    );
  }
  if (isDynamicPath(from)) {
    throw new MongoError('BadValue', `The source field for $rename may not be dynamic: ${field}`);
  }
  if (isDynamicPath(to)) {
    throw new MongoError(
      'BadValue',
      `The destination field for $rename may not be dynamic: ${target}`,
    );
  }
}

function checkedPath(path: string): string[] {
  const parts = splitPath(path);
  checkUpdatable(parts, path);
  checkPositionalParts(parts, path);
  return parts;
}

function applyOperators(
  root: ObjectNode,
  doc: BsonDocument,
  context: UpdateContext,
): { doc: BsonDocument; modified: boolean } {
  const isInsert = context.isInsert;
  // An upsert inserts a document no query matched, so '$' has nothing to refer to.
  const index = isInsert ? undefined : context.positionalIndex;
  const working = new WorkingDocument(doc, {
    isInsert,
    matchedField: index === undefined ? undefined : String(index),
    now: context.now,
    nowTimestamp: context.nowTimestamp,
    validateForStorage: !isInsert,
  });
  const position = { element: working.rootSlot(), pathTaken: [], pathToCreate: [] };
  const modified = applyUpdateNode(root, position, working);
  if (!modified && !isInsert) return { doc, modified: false };
  return { doc: finishDocument(working.root, isInsert), modified };
}
