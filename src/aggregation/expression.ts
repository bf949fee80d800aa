/**
 * MongoDB's aggregation expression language, compiled once into closures and evaluated per
 * document. Parsing, validation and constant folding happen here; evaluation does no parsing.
 */
import { isDocument } from '../bson/types.js';
import type { BsonDocument, BsonValue } from '../bson/types.js';
import { MongoError } from '../errors/mongo-error.js';
import { assert } from '../util/assert.js';
import { accumulatorExpressionOperators } from './expressions/accumulator-expressions.js';
import { arithmeticOperators } from './expressions/arithmetic.js';
import { arrayOperators } from './expressions/array.js';
import { arrayFunctionOperators } from './expressions/array-functions.js';
import { bitwiseOperators } from './expressions/bitwise.js';
import { comparisonOperators } from './expressions/comparison.js';
import { constant, constantOf } from './expressions/constants.js';
import { conversionOperators } from './expressions/convert.js';
import { dateArithmeticOperators } from './expressions/date-arithmetic.js';
import { datePartOperators } from './expressions/date-parts.js';
import { dateStringOperators } from './expressions/date-strings.js';
import { compileFieldPath, setField, validateFieldName } from './expressions/field-path.js';
import { formatBsonObject } from './expressions/format-bson.js';
import { logicOperators } from './expressions/logic.js';
import { mathOperators } from './expressions/math.js';
import { miscOperators, unfoldableMiscOperators } from './expressions/misc.js';
import { objectOperators } from './expressions/object.js';
import { regexOperators } from './expressions/regex.js';
import { setOperators } from './expressions/set.js';
import { stringOperators } from './expressions/string.js';
import { substringOperators } from './expressions/substring.js';
import { trigonometryOperators } from './expressions/trigonometry.js';
import type {
  CompiledExpression,
  ExpressionScope,
  OperatorCompiler,
  OperatorContext,
} from './expressions/types.js';
import { coerceToBool } from './expressions/values.js';
import type { Value } from './expressions/values.js';
import { variableOperators } from './expressions/variables.js';

export type { CompiledExpression, ExpressionScope, Variables } from './expressions/types.js';
export type { Value } from './expressions/values.js';

const operators = new Map<string, OperatorCompiler>();
for (const table of [
  accumulatorExpressionOperators,
  arithmeticOperators,
  arrayOperators,
  arrayFunctionOperators,
  bitwiseOperators,
  comparisonOperators,
  conversionOperators,
  dateArithmeticOperators,
  datePartOperators,
  dateStringOperators,
  logicOperators,
  mathOperators,
  miscOperators,
  objectOperators,
  regexOperators,
  setOperators,
  stringOperators,
  substringOperators,
  trigonometryOperators,
  variableOperators,
]) {
  for (const [name, compiler] of Object.entries(table)) {
    assert(!operators.has(name), `duplicate expression ${name}`);
    operators.set(name, compiler);
  }
}

/**
 * Operators the server never folds (their optimize() returns the expression itself), or whose
 * result must differ per evaluation. Folding them could surface an error the server would not.
 */
const unfoldable = new Set([
  '$filter',
  '$map',
  '$reduce',
  '$let',
  '$getField',
  '$setField',
  '$unsetField',
  '$sortArray',
  '$zip',
  '$regexFind',
  '$regexFindAll',
  '$regexMatch',
  '$replaceOne',
  '$replaceAll',
  ...unfoldableMiscOperators,
]);

/** Whether `name` is an expression operator (for stages that accept expressions or literals). */
export function isExpressionOperator(name: string): boolean {
  return operators.has(name);
}

/** MongoDB's coerceToBool: false only for null, missing, undefined, false and numeric zero. */
export function isTruthy(value: Value): boolean {
  return coerceToBool(value);
}

/** Compile once, evaluate per document. Returns undefined for "missing" (distinct from null). */
export function compileExpression(
  expression: BsonValue,
  scope: ExpressionScope,
): CompiledExpression {
  if (typeof expression === 'string') {
    return expression.startsWith('$') ? compileFieldPath(expression, scope) : constant(expression);
  }
  if (Array.isArray(expression)) return compileArray(expression, scope);
  if (isDocument(expression)) return compileObject(expression, scope);
  return constant(expression);
}

/** An array of expressions; a missing element becomes null (ExpressionArray::evaluate). */
function compileArray(elements: BsonValue[], scope: ExpressionScope): CompiledExpression {
  const compiled = elements.map((element) => compileExpression(element, scope));
  const evaluate: CompiledExpression = (root, variables) => {
    const out: BsonValue[] = new Array<BsonValue>(compiled.length);
    for (let i = 0; i < compiled.length; i++) {
      const value = (compiled[i] as CompiledExpression)(root, variables);
      out[i] = value === undefined ? null : value;
    }
    return out;
  };
  return foldIfConstant(compiled, evaluate);
}

function compileObject(doc: BsonDocument, scope: ExpressionScope): CompiledExpression {
  const keys = Object.keys(doc);
  if (keys.length === 0) return constant({});
  if ((keys[0] as string).startsWith('$')) return compileOperator(doc, keys, scope);
  return compileObjectLiteral(doc, keys, scope);
}

/** {a: expr, ...} builds a document; fields whose value is missing are omitted. */
function compileObjectLiteral(
  doc: BsonDocument,
  keys: string[],
  scope: ExpressionScope,
): CompiledExpression {
  for (const key of keys) validateFieldName(key);
  const compiled = keys.map((key) => compileExpression(doc[key], scope));
  const evaluate: CompiledExpression = (root, variables) => {
    const out: BsonDocument = {};
    for (let i = 0; i < keys.length; i++) {
      const value = (compiled[i] as CompiledExpression)(root, variables);
      if (value !== undefined) setField(out, keys[i] as string, value);
    }
    return out;
  };
  return foldIfConstant(compiled, evaluate);
}

function foldIfConstant(
  children: CompiledExpression[],
  evaluate: CompiledExpression,
): CompiledExpression {
  if (!children.every((child) => constantOf(child) !== undefined)) return evaluate;
  return constant(evaluate({}, new Map()));
}

function compileOperator(
  doc: BsonDocument,
  keys: string[],
  scope: ExpressionScope,
): CompiledExpression {
  if (keys.length !== 1) {
    throw new MongoError(
      15983,
      `An object representing an expression must have exactly one field: ${formatBsonObject(doc)}`,
    );
  }
  const name = keys[0] as string;
  const compiler = operators.get(name);
  if (compiler === undefined) {
    throw new MongoError('InvalidPipelineOperator', `Unrecognized expression '${name}'`);
  }
  let allConstant = true;
  const context: OperatorContext = {
    name,
    scope,
    compile(expression, innerScope = scope) {
      const compiled = compileExpression(expression, innerScope);
      if (constantOf(compiled) === undefined) allConstant = false;
      return compiled;
    },
  };
  const compiled = compiler(doc[name], context);
  if (!allConstant || unfoldable.has(name) || constantOf(compiled) !== undefined) return compiled;
  return constant(compiled({}, new Map()));
}
