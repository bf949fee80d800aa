/**
 * Constant expressions. The compiler folds an operator whose operands are all constant into
 * one constant, as the server's optimize() does, so per-document work disappears and errors in
 * constant sub-expressions surface when the pipeline is parsed, where the server reports them.
 */
import type { CompiledExpression } from './types.js';
import type { Value } from './values.js';

const constants = new WeakMap<CompiledExpression, { value: Value }>();

/** A compiled expression that always returns `value` (shared: callers must not mutate it). */
export function constant(value: Value): CompiledExpression {
  const compiled: CompiledExpression = () => value;
  constants.set(compiled, { value });
  return compiled;
}

/** The value of a constant expression, or undefined when the expression is not constant. */
export function constantOf(expression: CompiledExpression): { value: Value } | undefined {
  return constants.get(expression);
}

export function isConstant(expression: CompiledExpression): boolean {
  return constants.has(expression);
}
