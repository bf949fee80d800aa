/**
 * The one place commands compile the query language: filters, projections, sorts and
 * updates, all sharing one expression scope, so $expr, computed projections and the
 * command's `let` variables see the same $$NOW and variables within a command.
 */
import type { BsonDocument, BsonValue } from '../bson/types.js';
import { isDocument } from '../bson/types.js';
import { compileExpression } from '../aggregation/expression.js';
import type { ExpressionScope, Variables } from '../aggregation/expression.js';
import { compileFilter, parseFilter } from '../query/filter/index.js';
import type { FilterOptions } from '../query/filter/index.js';
import type { Matcher } from '../query/filter/index.js';
import { compileProjection } from '../query/projection.js';
import { compileSort } from '../query/sort.js';
import { compileUpdate, upsertSeed } from '../query/update/index.js';
import type { CompiledUpdate } from '../query/update/index.js';
import { MongoError } from '../errors/mongo-error.js';
import type { CommandContext } from './context.js';

export type Projector = (doc: BsonDocument, details: { arrayIndex?: number }) => BsonDocument;
export type DocumentComparator = (a: BsonDocument, b: BsonDocument) => number;
export type { Matcher };

export class QueryCompiler {
  private constructor(
    readonly scope: ExpressionScope,
    readonly variables: Variables,
  ) {}

  /** A compiler for one command; `let` defines variables its expressions may use. */
  static forCommand(context: CommandContext, letVariables?: BsonValue): QueryCompiler {
    const scope: ExpressionScope = {
      variablesInScope: new Set(),
      now: new Date(context.server.clock.wallMs()),
      random: context.server.random,
    };
    const variables: Variables = new Map();
    if (letVariables !== undefined && letVariables !== null) {
      if (!isDocument(letVariables))
        throw new MongoError('TypeMismatch', "'let' must be an object");
      for (const [name, expression] of Object.entries(letVariables)) {
        const value = compileExpression(expression, scope)({}, variables);
        scope.variablesInScope.add(name);
        variables.set(name, value ?? null);
      }
    }
    return new QueryCompiler(scope, variables);
  }

  expression = (expression: BsonValue): ((root: BsonDocument) => BsonValue) => {
    const compiled = compileExpression(expression, this.scope);
    return (root) => compiled(root, this.variables);
  };

  /**
   * A matcher compiled on first use: a plan that never filters (an `_id` lookup) never
   * pays for compiling one.
   */
  lazyMatcher(filter: BsonDocument): Matcher {
    // Parsing finds every malformed operator now, even if no document is ever matched.
    parseFilter(filter, this.filterOptions());
    let compiled: Matcher | undefined;
    return (doc, details) => {
      compiled ??= this.matcher(filter);
      return compiled(doc, details);
    };
  }

  matcher(filter: BsonDocument): Matcher {
    return compileFilter(filter, this.filterOptions());
  }

  private filterOptions(): FilterOptions {
    // Shoal reports MongoDB 7.0, where {a: null} also matches BSON undefined (8.0 dropped it).
    return {
      compileExpression: this.expression,
      random: this.scope.random!,
      nullMatchesUndefined: true,
    };
  }

  projection(spec: BsonDocument): Projector | undefined {
    return this.projectionWithFields(spec)?.apply;
  }

  /** The projection and the top-level fields it reads (undefined: possibly any). */
  projectionWithFields(
    spec: BsonDocument,
  ): { apply: Projector; fields: readonly string[] | undefined } | undefined {
    if (Object.keys(spec).length === 0) return undefined;
    const projection = compileProjection(spec, { compileExpression: this.expression });
    const { dependencies } = projection;
    return {
      apply: (doc, details) => projection.apply(doc, details),
      fields: dependencies.wholeDocument ? undefined : dependencies.fields,
    };
  }

  sort(spec: BsonDocument): DocumentComparator | undefined {
    if (Object.keys(spec).length === 0) return undefined;
    return compileSort(spec);
  }

  update(
    spec: BsonDocument,
    arrayFilters: BsonDocument[] | undefined,
    multi = false,
  ): CompiledUpdate {
    return compileUpdate(spec, {
      multi,
      ...(arrayFilters === undefined ? {} : { arrayFilters }),
      compileFilter: (filter) => {
        const matcher = this.matcher(filter);
        return (doc) => matcher(doc);
      },
    });
  }
}

export function upsertSeedFor(filter: BsonDocument, kind: CompiledUpdate['kind']): BsonDocument {
  return upsertSeed(filter, kind);
}
