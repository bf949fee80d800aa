/**
 * Sets of BSON types as $type and $jsonSchema's type/bsonType name them (MatcherTypeSet):
 * numeric codes, string aliases, the "number" alias for every numeric type, or an array
 * of those.
 */
import type { BsonValue } from '../../bson/types.js';
import { BsonType, bsonTypeOf, isNumber } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { toDouble } from '../../bson/arith.js';
import { parseIntegerToInt } from './parse-number.js';

export interface TypeSet {
  readonly types: ReadonlySet<number>;
  readonly allNumbers: boolean;
}

export const numberAlias = 'number';

/** $type's aliases: the BSON type names. */
export const bsonTypeAliases: ReadonlyMap<string, number> = new Map(Object.entries(BsonType));

/** JSON Schema's `type` keyword knows only these (plus "number"). */
export const jsonSchemaTypeAliases: ReadonlyMap<string, number> = new Map([
  ['array', BsonType.array],
  ['boolean', BsonType.bool],
  ['null', BsonType.null],
  ['object', BsonType.object],
  ['string', BsonType.string],
]);

const validTypeCodes: ReadonlySet<number> = new Set(Object.values(BsonType));

interface MutableTypeSet {
  types: Set<number>;
  allNumbers: boolean;
}

export function addAlias(
  alias: string,
  aliases: ReadonlyMap<string, number>,
  set: MutableTypeSet,
): void {
  if (alias === numberAlias) {
    set.allNumbers = true;
    return;
  }
  const type = aliases.get(alias);
  if (type === undefined) {
    if (alias === 'missing') {
      throw new MongoError(
        'BadValue',
        "'missing' is not a legal type name. To query for non-existence of a field, use {$exists:false}.",
      );
    }
    throw new MongoError('BadValue', `Unknown type name alias: ${alias}`);
  }
  set.types.add(type);
}

function addSingle(value: BsonValue, index: string, set: MutableTypeSet): void {
  if (typeof value === 'string') {
    addAlias(value, bsonTypeAliases, set);
    return;
  }
  if (!isNumber(value)) {
    throw new MongoError('TypeMismatch', 'type must be represented as a number or a string');
  }
  const shown = formatNumber(value);
  let code: number;
  try {
    code = parseIntegerToInt(index, value);
  } catch {
    throw new MongoError('BadValue', `Invalid numerical type code: ${shown}`);
  }
  if (code === 0) {
    throw new MongoError(
      'BadValue',
      `Invalid numerical type code: ${shown}. Instead use {$exists:false}.`,
    );
  }
  if (!validTypeCodes.has(code))
    throw new MongoError('BadValue', `Invalid numerical type code: ${shown}`);
  set.types.add(code);
}

function formatNumber(value: Parameters<typeof toDouble>[0]): string {
  return String(toDouble(value));
}

/** MatcherTypeSet::parse for $type. */
export function parseTypeSet(value: BsonValue): TypeSet {
  const set: MutableTypeSet = { types: new Set(), allNumbers: false };
  if (Array.isArray(value)) value.forEach((entry, i) => addSingle(entry, String(i), set));
  else addSingle(value, '$type', set);
  return set;
}

export function isEmptyTypeSet(set: TypeSet): boolean {
  return set.types.size === 0 && !set.allNumbers;
}

export function typeSetHas(set: TypeSet, value: BsonValue): boolean {
  return (set.allNumbers && isNumber(value)) || set.types.has(bsonTypeOf(value));
}
