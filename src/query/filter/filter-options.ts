/**
 * How a filter is parsed and compiled: the hooks other modules provide and the feature
 * set of the context (MatchExpressionParser::AllowedFeatures). find and aggregate allow
 * everything but JavaScript; projections' $elemMatch and positional filters allow none.
 */
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import type { Random } from '../../platform/random.js';

/**
 * Compiles an aggregation expression (provided by src/aggregation). The evaluator returns
 * JS undefined for a missing result.
 */
export type CompileExpression = (expression: BsonValue) => (root: BsonDocument) => BsonValue;

export interface AllowedFeatures {
  readonly expr?: boolean;
  readonly jsonSchema?: boolean;
  readonly text?: boolean;
  readonly where?: boolean;
  readonly geoNear?: boolean;
}

export interface FilterOptions {
  /** Compiles $expr's expression; without it, compiling a filter with $expr fails. */
  readonly compileExpression?: CompileExpression;
  /** Randomness for $sampleRate; without it, compiling a filter with one fails. */
  readonly random?: Random;
  /** Features of the context; each defaults to allowed. */
  readonly allow?: AllowedFeatures;
  /**
   * MongoDB before 8.0: equality to null ({a: null}, $in: [null]) also matches BSON
   * undefined. 8.0 and later match only null and missing, which is the default.
   */
  readonly nullMatchesUndefined?: boolean;
}

/** The features a projection's $elemMatch and positional filter allow (kBanAllSpecialFeatures). */
export const banAllSpecialFeatures: AllowedFeatures = {
  expr: false,
  jsonSchema: false,
  text: false,
  where: false,
  geoNear: false,
};
