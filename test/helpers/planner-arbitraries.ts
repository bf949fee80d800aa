/**
 * fast-check generators for planner tests: documents, index specifications and queries
 * drawn from small, deliberately colliding value pools, so that random queries hit real
 * documents, equal numbers appear in every numeric type, strings share prefixes longer
 * than the index key limit, and arrays make indexes multikey.
 */
import fc from 'fast-check';
import {
  Binary,
  BSONRegExp,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
} from 'bson';
import type { BsonDocument, BsonValue } from '../../src/bson/types.js';

/** Longer than the 1024-byte stored KeyString prefix: keys are truncated and hashed. */
export const longPrefix = 'p'.repeat(1100);

function numbersEqualTo(value: number): BsonValue[] {
  const all: BsonValue[] = [new Double(value), Decimal128.fromString(String(value))];
  if (Number.isInteger(value)) all.push(new Int32(value), Long.fromNumber(value));
  return all;
}

export const numberPool: readonly BsonValue[] = [
  ...numbersEqualTo(-1),
  ...numbersEqualTo(0),
  ...numbersEqualTo(1),
  ...numbersEqualTo(2),
  ...numbersEqualTo(2.5),
  new Double(-0),
  Decimal128.fromString('1.0'),
  Decimal128.fromString('-0'),
  new Double(NaN),
  Decimal128.fromString('NaN'),
  new Double(Infinity),
  new Double(-Infinity),
  Decimal128.fromString('-Infinity'),
  // 2^53 + 1 is not a double: exact comparison must keep these apart.
  Long.fromString('9007199254740993'),
  new Double(9007199254740992),
  Decimal128.fromString('9007199254740993'),
];

export const stringPool: readonly string[] = [
  '',
  'a',
  'ab',
  'abc',
  'b',
  'B',
  'a\u0000b',
  'é',
  '😀',
  longPrefix,
  `${longPrefix}a`,
  `${longPrefix}ab`,
  `${longPrefix}b`,
];

const otherPool: readonly BsonValue[] = [
  null,
  true,
  false,
  new Date(0),
  new Date(86_400_000),
  new Date(-1),
  new ObjectId('000000000000000000000001'),
  new ObjectId('ffffffffffffffffffffffff'),
  new MinKey(),
  new MaxKey(),
  new Timestamp({ t: 1, i: 1 }),
  new Binary(Buffer.from([1, 2]), 0),
  new BSONRegExp('^a', ''),
];

export const scalar: fc.Arbitrary<BsonValue> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...numberPool) },
  { weight: 3, arbitrary: fc.constantFrom(...stringPool) },
  { weight: 2, arbitrary: fc.constantFrom(...otherPool) },
);

/** Operands of $gt and friends: a regex there is a parse error, not a comparison. */
const comparable: fc.Arbitrary<BsonValue> = scalar.filter(
  (value) => !(value instanceof BSONRegExp),
);

const subDocument: fc.Arbitrary<BsonDocument> = fc
  .record({ e: scalar, f: scalar }, { requiredKeys: [] })
  .map((record) => ({ ...record }));

const element: fc.Arbitrary<BsonValue> = fc.oneof(
  { weight: 5, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 2 }) },
  { weight: 1, arbitrary: subDocument },
);

/** A field value: a scalar, an array (empty, nested, of documents) or a sub-document. */
export const fieldValue: fc.Arbitrary<BsonValue> = fc.oneof(
  { weight: 6, arbitrary: scalar },
  { weight: 3, arbitrary: fc.array(element, { maxLength: 3 }) },
  { weight: 1, arbitrary: subDocument },
);

/** `d` holds documents with an `e` field, alone or in arrays, so "d.e" is a real path. */
const dValue: fc.Arbitrary<BsonValue> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ e: fieldValue }, { requiredKeys: [] }) },
  {
    weight: 3,
    arbitrary: fc.array(
      fc.oneof(
        { weight: 4, arbitrary: fc.record({ e: fieldValue }, { requiredKeys: [] }) },
        { weight: 1, arbitrary: scalar },
      ),
      { maxLength: 3 },
    ),
  },
  { weight: 1, arbitrary: scalar },
);

interface DocumentShape {
  a?: BsonValue;
  b?: BsonValue;
  c?: BsonValue;
  d?: BsonValue;
}

/** Documents with arrays anywhere: multikey indexes, parallel arrays, empty arrays. */
const mixedBody: fc.Arbitrary<DocumentShape> = fc.record(
  { a: fieldValue, b: fieldValue, c: scalar, d: dValue },
  { requiredKeys: [] },
);

/** Documents without arrays: indexes stay non-multikey, so they can sort and cover. */
const flatBody: fc.Arbitrary<DocumentShape> = fc.record(
  {
    a: scalar,
    b: scalar,
    c: scalar,
    d: fc.oneof(fc.record({ e: scalar }, { requiredKeys: [] }), scalar),
  },
  { requiredKeys: [] },
);

/** Distinct _id values of mixed numeric and string types, so _id order is total. */
function idFor(position: number): BsonValue {
  switch (position % 4) {
    case 0:
      return new Int32(position);
    case 1:
      return Long.fromNumber(position);
    case 2:
      return new Double(position);
    default:
      return `id${String(position).padStart(3, '0')}`;
  }
}

function withIds(bodies: DocumentShape[]): BsonDocument[] {
  return bodies.map((body, position) => ({ _id: idFor(position), ...bodyDocument(body) }));
}

/** A write after the first queries: documents come and go, indexes turn multikey. */
export type Mutation =
  | { kind: 'insert'; doc: BsonDocument }
  | { kind: 'update'; position: number; body: BsonDocument }
  | { kind: 'delete'; position: number };

function bodyDocument(body: DocumentShape): BsonDocument {
  const doc: BsonDocument = {};
  for (const [field, value] of Object.entries(body)) {
    if (value !== undefined) doc[field] = value as BsonValue;
  }
  return doc;
}

export const mutations: fc.Arbitrary<Mutation[]> = fc
  .array(
    fc.oneof(
      fc.record({ kind: fc.constant('insert' as const), body: mixedBody }),
      fc.record({ kind: fc.constant('update' as const), position: fc.nat(), body: mixedBody }),
      fc.record({ kind: fc.constant('delete' as const), position: fc.nat() }),
    ),
    { maxLength: 8 },
  )
  .map((drawn) =>
    drawn.map((mutation, i): Mutation => {
      switch (mutation.kind) {
        case 'insert':
          return { kind: 'insert', doc: { _id: idFor(1000 + i), ...bodyDocument(mutation.body) } };
        case 'update':
          return { kind: 'update', position: mutation.position, body: bodyDocument(mutation.body) };
        case 'delete':
          return mutation;
      }
    }),
  );

export const documents: fc.Arbitrary<BsonDocument[]> = fc
  .oneof(fc.array(mixedBody, { maxLength: 40 }), fc.array(flatBody, { maxLength: 40 }))
  .map(withIds);

export const indexablePaths = ['a', 'b', 'c', 'd.e', 'd', '_id', 'a.0', 'd.0.e'] as const;

const partialFilters: readonly BsonDocument[] = [
  { a: { $exists: true } },
  { a: { $gt: new Int32(0) } },
  { b: { $gte: 'a' } },
  { c: { $type: 'string' } },
  { a: { $lte: new Double(2) }, b: { $exists: true } },
];

export interface IndexPlan {
  key: BsonDocument;
  unique: boolean;
  sparse: boolean;
  partialFilterExpression: BsonDocument | undefined;
  /** Built over existing data (true) or maintained from the first insert (false). */
  buildAfterInsert: boolean;
}

export const indexPlan: fc.Arbitrary<IndexPlan> = fc
  .record({
    fields: fc.uniqueArray(fc.constantFrom(...indexablePaths), { minLength: 1, maxLength: 3 }),
    directions: fc.array(fc.constantFrom(1, -1), { minLength: 3, maxLength: 3 }),
    option: fc.constantFrom('plain', 'plain', 'unique', 'sparse', 'partial'),
    partial: fc.constantFrom(...partialFilters),
    buildAfterInsert: fc.boolean(),
  })
  .map(({ fields, directions, option, partial, buildAfterInsert }) => {
    const key: BsonDocument = {};
    fields.forEach((field, i) => (key[field] = new Int32(directions[i] ?? 1)));
    return {
      key,
      unique: option === 'unique',
      sparse: option === 'sparse',
      partialFilterExpression: option === 'partial' ? partial : undefined,
      buildAfterInsert,
    };
  });

export const queryPaths = ['a', 'b', 'c', 'd.e', 'd', '_id', 'a.0', 'd.0.e'] as const;

const regexPatterns = [
  '^a',
  '^ab',
  '^p',
  `^${'p'.repeat(1050)}a`,
  'b',
  '^a.*b',
  '^é',
  '^B',
  '^$',
  '^ab?',
  '^a|b',
  '^a*b',
  '^a{0}b',
  '^a\\|',
];

const regex: fc.Arbitrary<BSONRegExp> = fc
  .record({ pattern: fc.constantFrom(...regexPatterns), options: fc.constantFrom('', '', 'i') })
  .map(({ pattern, options }) => new BSONRegExp(pattern, options));

const arrayValue: fc.Arbitrary<BsonValue> = fc.array(scalar, { maxLength: 2 });

const operand: fc.Arbitrary<BsonValue> = fc.oneof(
  { weight: 6, arbitrary: scalar },
  { weight: 1, arbitrary: arrayValue },
  { weight: 1, arbitrary: subDocument },
);

const typeNames = [
  'string',
  'number',
  'int',
  'double',
  'null',
  'array',
  'object',
  'bool',
  'minKey',
];

/** One predicate on one path, as the value of `{path: <predicate>}`. */
const predicate: fc.Arbitrary<BsonValue> = fc.oneof(
  operand,
  operand.map((value) => ({ $eq: value })),
  fc
    .record({
      op: fc.constantFrom('$gt', '$gte', '$lt', '$lte'),
      value: fc.oneof({ weight: 4, arbitrary: comparable }, { weight: 1, arbitrary: arrayValue }),
    })
    .map(({ op, value }) => ({ [op]: value })),
  fc
    .record({
      low: fc.constantFrom('$gt', '$gte'),
      high: fc.constantFrom('$lt', '$lte'),
      a: comparable,
      b: comparable,
    })
    .map(({ low, high, a, b }) => ({ [low]: a, [high]: b })),
  fc.array(fc.oneof(operand, regex), { maxLength: 4 }).map((values) => ({ $in: values })),
  fc.array(operand, { maxLength: 3 }).map((values) => ({ $nin: values })),
  comparable.map((value) => ({ $ne: value })),
  fc.boolean().map((exists) => ({ $exists: exists })),
  fc.constantFrom(...typeNames).map((type) => ({ $type: type })),
  regex.map((value) => ({ $regex: value.pattern, $options: value.options })),
  regex,
  fc
    .record({ a: comparable, b: comparable })
    .map(({ a, b }) => ({ $elemMatch: { $gte: a, $lt: b } })),
  operand.map((value) => ({ $elemMatch: { e: value } })),
  fc.array(operand, { maxLength: 2 }).map((values) => ({ $all: values })),
  fc
    .record({ op: fc.constantFrom('$gt', '$lte', '$eq'), value: comparable })
    .map(({ op, value }) => ({ $not: { [op]: value } })),
  fc.constant(null),
);

function leafOn(paths: readonly string[]): fc.Arbitrary<BsonDocument> {
  return fc
    .record({ path: fc.constantFrom(...paths), predicate })
    .map(({ path, predicate: value }) => ({ [path]: value }));
}

function merge(parts: readonly BsonDocument[]): BsonDocument {
  const merged: BsonDocument = {};
  const extra: BsonDocument[] = [];
  for (const part of parts) {
    const [path] = Object.keys(part);
    if (path === undefined) continue;
    if (path in merged) extra.push(part);
    else merged[path] = part[path];
  }
  if (extra.length > 0) merged.$and = extra;
  return merged;
}

/** Filters over `paths`: conjunctions (implicit and $and), $or, and the empty filter. */
export function filterOn(paths: readonly string[]): fc.Arbitrary<BsonDocument> {
  const leaf = leafOn(paths);
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant({}) },
    { weight: 5, arbitrary: fc.array(leaf, { minLength: 1, maxLength: 3 }).map(merge) },
    {
      weight: 2,
      arbitrary: fc
        .record({ or: fc.array(leaf, { minLength: 1, maxLength: 3 }), rest: fc.option(leaf) })
        .map(({ or, rest }) => ({ ...(rest ?? {}), $or: or })),
    },
    {
      weight: 1,
      arbitrary: fc.array(leaf, { minLength: 1, maxLength: 3 }).map((and) => ({ $and: and })),
    },
  );
}

export const sortPaths = ['a', 'b', 'c', 'd.e', 'a.0'] as const;

export interface QueryPlan {
  filter: BsonDocument;
  sort: BsonDocument | undefined;
  projection: BsonDocument | undefined;
  skip: number;
  limit: number | undefined;
}

const projections: readonly BsonDocument[] = [
  { a: new Int32(1) },
  { a: new Int32(1), _id: new Int32(0) },
  { a: new Int32(1), b: new Int32(1), _id: new Int32(0) },
  { b: new Int32(1), c: new Int32(1), _id: new Int32(0) },
  { c: new Int32(1), _id: new Int32(0) },
  { _id: new Int32(1) },
  { 'd.e': new Int32(1) },
  { b: new Int32(0) },
];

/** Sorts on up to two of `paths`; a total sort ends with _id. */
function sortOn(paths: readonly string[]): fc.Arbitrary<BsonDocument | undefined> {
  return fc.option(
    fc
      .record({
        fields: fc.uniqueArray(fc.constantFrom(...paths), { maxLength: 2 }),
        directions: fc.array(fc.constantFrom(1, -1), { minLength: 3, maxLength: 3 }),
        total: fc.boolean(),
      })
      .map(({ fields, directions, total }) => {
        const sort: BsonDocument = {};
        fields.forEach((field, i) => (sort[field] = new Int32(directions[i] ?? 1)));
        if (total || fields.length === 0) sort._id = new Int32(directions[2] ?? 1);
        return sort;
      }),
    { nil: undefined, freq: 3 },
  );
}

function queryOf(
  filter: fc.Arbitrary<BsonDocument>,
  sort: fc.Arbitrary<BsonDocument | undefined>,
  projection: fc.Arbitrary<BsonDocument>,
): fc.Arbitrary<QueryPlan> {
  return fc.record({
    filter,
    sort,
    projection: fc.option(projection, { nil: undefined, freq: 3 }),
    skip: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5 })),
    limit: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
  });
}

export const query: fc.Arbitrary<QueryPlan> = queryOf(
  filterOn(queryPaths),
  sortOn(sortPaths),
  fc.constantFrom(...projections),
);

/**
 * A non-multikey index over top-level fields with queries, sorts and _id-less
 * projections on those fields only: the shapes an index can answer in order, or cover.
 */
export interface CoveringCase {
  index: IndexPlan;
  queries: QueryPlan[];
}

export const coveringCase: fc.Arbitrary<CoveringCase> = fc
  .record({
    fields: fc.uniqueArray(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 3 }),
    directions: fc.array(fc.constantFrom(1, -1), { minLength: 3, maxLength: 3 }),
  })
  .chain(({ fields, directions }) => {
    const key: BsonDocument = {};
    fields.forEach((field, i) => (key[field] = new Int32(directions[i] ?? 1)));
    const projection = fc.subarray(fields, { minLength: 1 }).map((included) => {
      const spec: BsonDocument = { _id: new Int32(0) };
      for (const field of included) spec[field] = new Int32(1);
      return spec;
    });
    return fc.record({
      index: fc.constant<IndexPlan>({
        key,
        unique: false,
        sparse: false,
        partialFilterExpression: undefined,
        buildAfterInsert: false,
      }),
      queries: fc.array(queryOf(filterOn(fields), sortOn(fields), projection), {
        minLength: 1,
        maxLength: 6,
      }),
    });
  });

/** Documents without arrays, for covering cases. */
export const flatDocuments: fc.Arbitrary<BsonDocument[]> = fc
  .array(flatBody, { maxLength: 40 })
  .map(withIds);
