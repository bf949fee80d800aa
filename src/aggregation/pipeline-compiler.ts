/**
 * The compiler a pipeline's stages share: one expression scope ($$NOW, the command's `let`
 * variables) and one variable map that every compiled closure reads. Sub-pipelines with
 * their own variables ($lookup's `let`, $merge's `let`) get a child compiler whose map the
 * owning stage fills before each run, so nothing is recompiled per document.
 */
import type { BsonDocument, BsonValue } from '../bson/types.js';
import { compileFilter } from '../query/filter/index.js';
import type { Matcher } from '../query/filter/index.js';
import { compileSort } from '../query/sort.js';
import type { SortComparator } from '../query/sort.js';
import { createAccumulator } from './accumulators/accumulator.js';
import type { AccumulatorFactory } from './accumulators/accumulator.js';
import { compileExpression } from './expression.js';
import type { CompiledExpression, ExpressionScope, Value, Variables } from './expression.js';

/** An expression bound to the compiler's variables: evaluated against one document. */
export type BoundExpression = (root: BsonDocument) => Value;

export class StageCompiler {
  private constructor(
    readonly scope: ExpressionScope,
    readonly variables: Variables,
    private readonly parent: StageCompiler | undefined,
  ) {}

  /** A compiler over an existing scope and variable map (a command's QueryCompiler). */
  static over(source: { scope: ExpressionScope; variables: Variables }): StageCompiler {
    return new StageCompiler(source.scope, source.variables, undefined);
  }

  /** Compiles to a closure that takes the variables explicitly. */
  compile(expression: BsonValue): CompiledExpression {
    return compileExpression(expression, this.scope);
  }

  /** Compiles to a closure over this compiler's variables. */
  expression(expression: BsonValue): BoundExpression {
    const compiled = compileExpression(expression, this.scope);
    const variables = this.variables;
    return (root) => compiled(root, variables);
  }

  matcher(filter: BsonDocument): Matcher {
    // Shoal reports MongoDB 7.0, where {a: null} also matches BSON undefined.
    return compileFilter(filter, {
      compileExpression: (expression) => this.expression(expression),
      ...(this.scope.random === undefined ? {} : { random: this.scope.random }),
      nullMatchesUndefined: true,
    });
  }

  sort(spec: BsonDocument): SortComparator {
    return compileSort(spec);
  }

  accumulator(name: string, argument: BsonValue): AccumulatorFactory {
    return createAccumulator(name, argument, this.scope);
  }

  /**
   * A compiler that also defines `names`. Its variable map is its own: call `inherit()` and
   * then set the names' values before each run.
   */
  child(names: readonly string[]): StageCompiler {
    const variablesInScope = new Set(this.scope.variablesInScope);
    for (const name of names) variablesInScope.add(name);
    return new StageCompiler({ ...this.scope, variablesInScope }, new Map(), this);
  }

  /** Copies the parent's current variable values (which a nested run may have rebound). */
  inherit(): void {
    if (this.parent === undefined) return;
    this.variables.clear();
    for (const [name, value] of this.parent.variables) this.variables.set(name, value);
  }
}
