/**
 * $let: named variables evaluated in the outer scope, then visible to "in". CURRENT may be
 * rebound, which re-roots every "$field" path inside "in".
 */
import { isDocument } from '../../bson/types.js';
import type { BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { restoreBinding, saveBinding, scopeWith } from './scope.js';
import type { SavedBinding } from './scope.js';
import type { CompiledExpression, OperatorContext, OperatorTable } from './types.js';
import type { Value } from './values.js';

function compileLet(argument: BsonValue, context: OperatorContext): CompiledExpression {
  if (!isDocument(argument)) {
    throw new MongoError(16874, '$let only supports an object as its argument');
  }
  let vars: BsonValue | undefined;
  let body: BsonValue | undefined;
  let hasVars = false;
  let hasBody = false;
  for (const [key, value] of Object.entries(argument)) {
    if (key === 'vars') [vars, hasVars] = [value, true];
    else if (key === 'in') [body, hasBody] = [value, true];
    else throw new MongoError(16875, `Unrecognized parameter to $let: ${key}`);
  }
  if (!hasVars) throw new MongoError(16876, "Missing 'vars' parameter to $let");
  if (!hasBody) throw new MongoError(16877, "Missing 'in' parameter to $let");
  if (!isDocument(vars))
    throw new MongoError(10065, 'invalid parameter: expected an object (vars)');
  const names = Object.keys(vars);
  const values = names.map((name) => context.compile(vars[name]));
  const inner = context.compile(body, scopeWith(context.scope, names));
  if (names.length === 0) return inner;
  return (root, variables) => {
    const computed: Value[] = values.map((value) => value(root, variables));
    const saved: SavedBinding[] = names.map((name) => saveBinding(variables, name));
    names.forEach((name, i) => variables.set(name, computed[i]));
    try {
      return inner(root, variables);
    } finally {
      names.forEach((name, i) => restoreBinding(variables, name, saved[i] as SavedBinding));
    }
  };
}

export const variableOperators: OperatorTable = {
  $let: compileLet,
};
