/**
 * Variable binding for $let, $map, $filter, $reduce and friends. Bindings go into the one
 * Variables map passed down the evaluation and are restored afterwards, so evaluation allocates
 * no per-document scope objects. Because every binder evaluates its body within the binding's
 * extent, this dynamic scoping gives the same answers as the server's lexical variable ids.
 */
import type { BsonValue } from '../../bson/types.js';
import type { ExpressionScope, Variables } from './types.js';
import type { Value } from './values.js';
import { validateNameForUserWrite } from './variable-names.js';

/** The scope for a body that can also see `names`. Names are validated as user-writable. */
export function scopeWith(scope: ExpressionScope, names: readonly string[]): ExpressionScope {
  for (const name of names) validateNameForUserWrite(name);
  return { ...scope, variablesInScope: new Set([...scope.variablesInScope, ...names]) };
}

/** A saved binding, to restore when the body is done. */
export interface SavedBinding {
  had: boolean;
  value: BsonValue;
}

export function saveBinding(variables: Variables, name: string): SavedBinding {
  return { had: variables.has(name), value: variables.get(name) };
}

export function restoreBinding(variables: Variables, name: string, saved: SavedBinding): void {
  if (saved.had) variables.set(name, saved.value);
  else variables.delete(name);
}

/** Sets a variable; a missing value is stored as undefined, which reads back as missing. */
export function bind(variables: Variables, name: string, value: Value): void {
  variables.set(name, value);
}
