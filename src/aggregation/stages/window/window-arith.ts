/**
 * The server's arithmetic for window functions: $derivative, $integral, $covariance and
 * $linearFill combine values exactly as the $add, $subtract, $multiply and $divide
 * expressions do (dates subtract to milliseconds, ints widen, decimals stay decimal), so
 * they are evaluated by those very expressions, compiled once over two variables.
 */
import { compileExpression } from '../../expression.js';
import type { CompiledExpression, Value, Variables } from '../../expression.js';

type Operator = '$add' | '$subtract' | '$multiply' | '$divide' | '$mod';

const scope = { variablesInScope: new Set(['a', 'b']), now: new Date(0) };
const compiled = new Map<Operator, CompiledExpression>(
  (['$add', '$subtract', '$multiply', '$divide', '$mod'] as const).map((operator) => [
    operator,
    compileExpression({ [operator]: ['$$a', '$$b'] }, scope),
  ]),
);
const variables: Variables = new Map();

/** `a <operator> b` with the expression's semantics and errors. */
export function arithmetic(operator: Operator, a: Value, b: Value): Value {
  variables.set('a', a);
  variables.set('b', b);
  return (compiled.get(operator) as CompiledExpression)({}, variables);
}
