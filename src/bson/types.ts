/**
 * The in-memory value model: what `bson.deserialize(buf, decodeOptions)` produces.
 * Numbers are never plain JS numbers here: Int32, Long, Double and Decimal128 keep
 * their BSON type so that storage, comparison and replies are exact.
 */
import type {
  Binary,
  BSONRegExp,
  BSONSymbol,
  Code,
  DBRef,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
} from 'bson';
import type { DeserializeOptions } from 'bson';

export type BsonScalar =
  | Double
  | Int32
  | Long
  | Decimal128
  | string
  | boolean
  | null
  | undefined
  | Date
  | ObjectId
  | Binary
  | BSONRegExp
  | Timestamp
  | MinKey
  | MaxKey
  | Code
  | BSONSymbol
  | DBRef;

export type BsonValue = BsonScalar | BsonDocument | BsonArray;
export type BsonArray = BsonValue[];
export interface BsonDocument {
  [key: string]: BsonValue;
}

/** Options every decode of stored or received BSON uses, so types survive. */
export const decodeOptions: DeserializeOptions = {
  promoteValues: false,
  promoteBuffers: false,
  promoteLongs: false,
  bsonRegExp: true,
  useBigInt64: false,
};

/** BSON element type numbers (bsonspec.org). */
export const BsonType = {
  double: 1,
  string: 2,
  object: 3,
  array: 4,
  binData: 5,
  undefined: 6,
  objectId: 7,
  bool: 8,
  date: 9,
  null: 10,
  regex: 11,
  dbPointer: 12,
  javascript: 13,
  symbol: 14,
  javascriptWithScope: 15,
  int: 16,
  timestamp: 17,
  long: 18,
  decimal: 19,
  minKey: -1,
  maxKey: 127,
} as const;
export type BsonTypeName = keyof typeof BsonType;

export function isDocument(value: unknown): value is BsonDocument {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function isNumber(value: unknown): value is Int32 | Long | Double | Decimal128 {
  if (typeof value !== 'object' || value === null) return false;
  const tag = (value as { _bsontype?: unknown })._bsontype;
  return tag === 'Int32' || tag === 'Double' || tag === 'Long' || tag === 'Decimal128';
}

/**
 * Type numbers by the bson package's `_bsontype` tag. Dispatching on the tag is faster
 * than an instanceof chain, and exact: Timestamp is an instanceof Long in that package.
 */
const typesByTag: Readonly<Record<string, number>> = {
  Int32: BsonType.int,
  Double: BsonType.double,
  Long: BsonType.long,
  Decimal128: BsonType.decimal,
  ObjectId: BsonType.objectId,
  Binary: BsonType.binData,
  BSONRegExp: BsonType.regex,
  Timestamp: BsonType.timestamp,
  MinKey: BsonType.minKey,
  MaxKey: BsonType.maxKey,
  BSONSymbol: BsonType.symbol,
  // DBRef (and DBPointer, which the bson package decodes as DBRef) is a document.
  DBRef: BsonType.object,
};

/** The BSON type number of a value of the model. */
export function bsonTypeOf(value: BsonValue): number {
  if (value === null) return BsonType.null;
  switch (typeof value) {
    case 'string':
      return BsonType.string;
    case 'boolean':
      return BsonType.bool;
    case 'undefined':
      return BsonType.undefined;
    case 'object':
      break;
    default:
      throw new TypeError(`not a BSON value: ${typeof value}`);
  }
  if (Array.isArray(value)) return BsonType.array;
  if (value instanceof Date) return BsonType.date;
  const tag = (value as { _bsontype?: unknown })._bsontype;
  if (typeof tag === 'string') {
    if (tag === 'Code') {
      return (value as Code).scope ? BsonType.javascriptWithScope : BsonType.javascript;
    }
    const type = typesByTag[tag];
    if (type !== undefined) return type;
    throw new TypeError(`not a BSON value: ${tag}`);
  }
  return BsonType.object;
}

const typeNames = new Map<number, BsonTypeName>(
  Object.entries(BsonType).map(([name, code]) => [code, name as BsonTypeName]),
);

/** MongoDB's `$type` alias for a type number ("double", "objectId", ...). */
export function bsonTypeName(type: number): BsonTypeName {
  const name = typeNames.get(type);
  if (name === undefined) throw new TypeError(`unknown BSON type ${type}`);
  return name;
}

/**
 * MongoDB's canonical type order (canonicalizeBSONType): values of different types
 * compare by this rank; all numbers share one rank, as do strings and symbols.
 */
export function canonicalTypeRank(value: BsonValue): number {
  return canonicalRankOfType(bsonTypeOf(value));
}

export function canonicalRankOfType(type: number): number {
  switch (type) {
    case BsonType.minKey:
      return -1;
    case BsonType.undefined:
      return 0;
    case BsonType.null:
      return 5;
    case BsonType.double:
    case BsonType.int:
    case BsonType.long:
    case BsonType.decimal:
      return 10;
    case BsonType.string:
    case BsonType.symbol:
      return 15;
    case BsonType.object:
      return 20;
    case BsonType.array:
      return 25;
    case BsonType.binData:
      return 30;
    case BsonType.objectId:
      return 35;
    case BsonType.bool:
      return 40;
    case BsonType.date:
      return 45;
    case BsonType.timestamp:
      return 47;
    case BsonType.regex:
      return 50;
    case BsonType.dbPointer:
      return 55;
    case BsonType.javascript:
      return 60;
    case BsonType.javascriptWithScope:
      return 65;
    case BsonType.maxKey:
      return 127;
    default:
      throw new TypeError(`unknown BSON type ${type}`);
  }
}
