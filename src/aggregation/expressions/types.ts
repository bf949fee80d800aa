/**
 * The types every operator family shares. Operators are compiled once into closures; the
 * compiler hands each operator a context instead of importing the compiler, so the families
 * stay free of import cycles.
 */
import type { Timestamp } from 'bson';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import type { Random } from '../../platform/random.js';
import type { Value } from './values.js';

/** Variable values by name ($let variables, $$this, $$value, CURRENT when rebound, ...). */
export type Variables = Map<string, BsonValue>;

/** Compile-time context: what is defined, and the per-command constants. */
export interface ExpressionScope {
  /** Names of user variables defined here; reading any other non-builtin name is an error. */
  variablesInScope: Set<string>;
  /** $$NOW, fixed for the whole command. */
  now: Date;
  /** $$CLUSTER_TIME; reading it without one is "not available" (51144). */
  clusterTime?: Timestamp;
  /** Source for $rand; without one $rand fails at compile time. */
  random?: Random;
}

/** Compiled once, evaluated per document. Returns undefined for "missing" (distinct from null). */
export type CompiledExpression = (root: BsonDocument, variables: Variables) => Value;

/** What an operator compiler receives besides its argument. */
export interface OperatorContext {
  /** The operator name with its '$', for error messages. */
  readonly name: string;
  readonly scope: ExpressionScope;
  /** Compiles a sub-expression, in this scope unless another is given. */
  compile(expression: BsonValue, scope?: ExpressionScope): CompiledExpression;
}

export type OperatorCompiler = (
  argument: BsonValue,
  context: OperatorContext,
) => CompiledExpression;

/** Operators by name (with the '$'). */
export type OperatorTable = Readonly<Record<string, OperatorCompiler>>;
