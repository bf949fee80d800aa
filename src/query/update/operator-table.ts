/**
 * modifier_table.cpp: the update operators, each compiled from its operand into a leaf.
 * Parsing an operand may fail (FailedToParse, BadValue, TypeMismatch), before the path
 * is placed in the tree.
 */
import type { BsonValue } from '../../bson/types.js';
import { bsonTypeName, bsonTypeOf, isDocument } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { bsonElementToString } from '../../bson/to-string.js';
import { modifierLeaf } from './modifier.js';
import { addToSetModifier } from './operators/add-to-set.js';
import { arithmeticModifier } from './operators/arithmetic.js';
import { bitModifier } from './operators/bit.js';
import { compareModifier } from './operators/compare.js';
import { currentDateModifier } from './operators/current-date.js';
import { popModifier } from './operators/pop.js';
import { pullAllModifier, pullModifier } from './operators/pull.js';
import { pushModifier } from './operators/push.js';
import { setModifier } from './operators/set.js';
import { unsetModifier } from './operators/unset.js';
import type { MatcherFactory } from './types.js';
import type { Leaf } from './update-node.js';

export interface OperandContext {
  /** The field as written in the update ("a.b"), for messages that quote the operand. */
  readonly field: string;
  readonly compileFilter: MatcherFactory;
}

type LeafCompiler = (operand: BsonValue, context: OperandContext) => Leaf;

/** $rename is compiled separately: it places two nodes in the tree. */
const compilers: ReadonlyMap<string, LeafCompiler> = new Map<string, LeafCompiler>([
  ['$addToSet', (operand) => modifierLeaf(addToSetModifier(operand))],
  ['$bit', (operand) => modifierLeaf(bitModifier(operand))],
  ['$currentDate', (operand) => modifierLeaf(currentDateModifier(operand))],
  ['$inc', (operand, c) => modifierLeaf(arithmeticModifier('$inc', c.field, operand))],
  ['$max', (operand) => modifierLeaf(compareModifier(operand, '$max'))],
  ['$min', (operand) => modifierLeaf(compareModifier(operand, '$min'))],
  ['$mul', (operand, c) => modifierLeaf(arithmeticModifier('$mul', c.field, operand))],
  ['$pop', (operand, c) => modifierLeaf(popModifier(c.field, operand))],
  ['$pull', (operand, c) => modifierLeaf(pullModifier(operand, c.compileFilter))],
  ['$pullAll', (operand) => modifierLeaf(pullAllModifier(operand))],
  ['$push', (operand) => modifierLeaf(pushModifier(operand))],
  ['$set', (operand) => modifierLeaf(setModifier(operand, false))],
  ['$setOnInsert', (operand) => modifierLeaf(setModifier(operand, true))],
  ['$unset', () => modifierLeaf(unsetModifier)],
]);

export function isUpdateOperator(name: string): boolean {
  return compilers.has(name) || name === '$rename';
}

export function compileOperand(
  operator: string,
  operand: BsonValue,
  context: OperandContext,
): Leaf {
  const compile = compilers.get(operator);
  if (compile === undefined) {
    throw new MongoError('FailedToParse', `Cannot construct modifier of type ${operator}`);
  }
  return compile(operand, context);
}

/** The source of a $rename: a placeholder that only reserves its path in the tree. */
export const conflictPlaceholder: Leaf = { apply: () => false };

/** validateMod: known operator with a document operand. */
export function checkOperatorSpec(name: string, spec: BsonValue): void {
  if (!isUpdateOperator(name)) {
    throw new MongoError(
      'FailedToParse',
      `Unknown modifier: ${name}. Expected a valid update modifier or pipeline-style update ` +
        'specified as an array',
    );
  }
  if (!isDocument(spec)) {
    throw new MongoError(
      'FailedToParse',
      `Modifiers operate on fields but we found type ${bsonTypeName(bsonTypeOf(spec))} ` +
        `instead. For example: {$mod: {<field>: ...}} not {${bsonElementToString(name, spec)}}`,
    );
  }
}
