/**
 * The parsed filter: MongoDB's MatchExpression tree as plain data. The index planner walks
 * it to derive bounds, so negations stay explicit ($ne is `not` over `compare eq`, $nin is
 * `not` over `in`, {$exists: false} is `not` over `exists`) and every leaf names its path.
 *
 * Nodes under a value-form $elemMatch ({a: {$elemMatch: {$gt: 1}}}) test each array
 * element itself and carry the empty path.
 */
import type { BsonDocument, BsonValue } from '../../bson/types.js';

export type ComparisonOperator = 'eq' | 'lt' | 'lte' | 'gt' | 'gte';
export type BitsTest = 'allSet' | 'allClear' | 'anySet' | 'anyClear';

/** A regular expression as written, with its translation compiled once at parse time. */
export interface RegexSpec {
  readonly pattern: string;
  readonly options: string;
  readonly regExp: RegExp;
}

export interface AndNode {
  readonly kind: 'and';
  readonly children: readonly FilterNode[];
}
export interface OrNode {
  readonly kind: 'or';
  readonly children: readonly FilterNode[];
}
export interface NorNode {
  readonly kind: 'nor';
  readonly children: readonly FilterNode[];
}
export interface NotNode {
  readonly kind: 'not';
  readonly child: FilterNode;
}
export interface CompareNode {
  readonly kind: 'compare';
  readonly path: string;
  readonly op: ComparisonOperator;
  readonly value: BsonValue;
}
export interface InNode {
  readonly kind: 'in';
  readonly path: string;
  /** Equality values, sorted by compareValues with duplicates removed. */
  readonly values: readonly BsonValue[];
  readonly regexes: readonly RegexSpec[];
}
export interface ExistsNode {
  readonly kind: 'exists';
  readonly path: string;
}
export interface TypeNode {
  readonly kind: 'type';
  readonly path: string;
  /** BSON type numbers. */
  readonly types: readonly number[];
  /** The "number" alias: any of double, int, long, decimal. */
  readonly allNumbers: boolean;
}
export interface RegexNode extends RegexSpec {
  readonly kind: 'regex';
  readonly path: string;
}
export interface ModNode {
  readonly kind: 'mod';
  readonly path: string;
  readonly divisor: bigint;
  readonly remainder: bigint;
}
export interface SizeNode {
  readonly kind: 'size';
  readonly path: string;
  readonly size: number;
}
/** $all: every child (an equality, regex or $elemMatch on the same path) must match. */
export interface AllNode {
  readonly kind: 'all';
  readonly path: string;
  readonly children: readonly FilterNode[];
}
/** $elemMatch with a document filter applied to each element that is a document or array. */
export interface ElemMatchObjectNode {
  readonly kind: 'elemMatch';
  readonly form: 'object';
  readonly path: string;
  readonly child: FilterNode;
}
/** $elemMatch with operators applied to each element ({$gt: 1, $lt: 5}). */
export interface ElemMatchValueNode {
  readonly kind: 'elemMatch';
  readonly form: 'value';
  readonly path: string;
  readonly children: readonly FilterNode[];
}
export interface BitsNode {
  readonly kind: 'bits';
  readonly path: string;
  readonly test: BitsTest;
  /** Bit positions, for BinData values. */
  readonly positions: readonly number[];
  /** The positions as a 64-bit mask (positions past 63 test the sign bit), for numbers. */
  readonly mask: bigint;
}
export interface ExprNode {
  readonly kind: 'expr';
  readonly expression: BsonValue;
}
export interface JsonSchemaNode {
  readonly kind: 'jsonSchema';
  readonly schema: BsonDocument;
}
export interface SampleRateNode {
  readonly kind: 'sampleRate';
  /** Strictly between 0 and 1; the bounds parse to alwaysFalse and alwaysTrue. */
  readonly rate: number;
}
export interface AlwaysTrueNode {
  readonly kind: 'alwaysTrue';
}
export interface AlwaysFalseNode {
  readonly kind: 'alwaysFalse';
}

export type FilterNode =
  | AndNode
  | OrNode
  | NorNode
  | NotNode
  | CompareNode
  | InNode
  | ExistsNode
  | TypeNode
  | RegexNode
  | ModNode
  | SizeNode
  | AllNode
  | ElemMatchObjectNode
  | ElemMatchValueNode
  | BitsNode
  | ExprNode
  | JsonSchemaNode
  | SampleRateNode
  | AlwaysTrueNode
  | AlwaysFalseNode;

export type PathNode = Extract<FilterNode, { readonly path: string }>;

/** Nodes that test the values at one path directly ($all is a conjunction of these). */
export type LeafNode = Exclude<PathNode, AllNode>;
