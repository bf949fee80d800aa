/**
 * find()'s $slice projection: the two argument forms and the slicing itself
 * (projection_executor_utils.cpp). Nested arrays along the path are not traversed.
 */
import type { BsonNumber } from '../bson/compare-numbers.js';
import type { BsonArray, BsonDocument, BsonValue } from '../bson/types.js';
import { isNumber } from '../bson/types.js';
import { toDouble } from '../bson/arith.js';
import { MongoError } from '../errors/mongo-error.js';
import { typeNameOf } from './describe.js';
import { asDocument, getField, MISSING, setField } from './path.js';

const int32Max = 2 ** 31 - 1;
const int32Min = -(2 ** 31);

/** BSONElement::safeNumberInt: truncates, saturates at the int32 bounds, NaN is 0. */
export function safeNumberInt(value: BsonNumber): number {
  const number = value._bsontype === 'Long' ? Number(value.toBigInt()) : toDouble(value);
  if (Number.isNaN(number)) return 0;
  if (number >= int32Max) return int32Max;
  if (number <= int32Min) return int32Min;
  return Math.trunc(number);
}

export function parseFindSlice(argument: BsonValue): { skip: number | undefined; limit: number } {
  if (isNumber(argument)) return { skip: undefined, limit: safeNumberInt(argument) };
  if (!Array.isArray(argument))
    throw new MongoError(31273, '$slice only supports numbers and [skip, limit] arrays');
  if (argument.length !== 2)
    throw new MongoError(31272, '$slice array argument should be of form [skip, limit]');
  const [skip, limit] = argument as [BsonValue, BsonValue];
  if (!isNumber(skip)) {
    throw new MongoError(
      31257,
      `$slice expects the skip argument to be a number, got ${typeNameOf(skip)}`,
    );
  }
  if (!isNumber(limit)) {
    throw new MongoError(
      31258,
      `$slice expects the limit argument to be a number, got ${typeNameOf(limit)}`,
    );
  }
  const count = safeNumberInt(limit);
  if (count <= 0) throw new MongoError(31259, `$slice limit must be positive, got ${count}`);
  return { skip: safeNumberInt(skip), limit: count };
}

export function sliceArray(array: BsonArray, skip: number | undefined, limit: number): BsonArray {
  const length = array.length;
  let start: number;
  let count: number;
  if (skip === undefined) {
    start = limit < 0 ? Math.max(0, length + limit) : 0;
    count = limit < 0 ? length - start : Math.min(length, limit);
  } else {
    start = skip < 0 ? Math.max(0, length + skip) : Math.min(length, skip);
    count = Math.min(length - start, limit);
  }
  return array.slice(start, start + count);
}

/** applyFindSliceProjection: slices the array at `parts`, through documents and arrays of them. */
export function applySlice(
  doc: BsonDocument,
  parts: readonly string[],
  skip: number | undefined,
  limit: number,
): BsonDocument {
  return sliceIn(doc, parts, 0, skip, limit);
}

function sliceIn(
  doc: BsonDocument,
  parts: readonly string[],
  index: number,
  skip: number | undefined,
  limit: number,
): BsonDocument {
  const name = parts[index] as string;
  const value = getField(doc, name);
  const last = index === parts.length - 1;
  let sliced: BsonValue;
  if (Array.isArray(value)) {
    sliced = last
      ? sliceArray(value, skip, limit)
      : value.map((element) => {
          const sub = Array.isArray(element) ? undefined : asDocument(element);
          return sub === undefined ? element : sliceIn(sub, parts, index + 1, skip, limit);
        });
  } else {
    const sub = last || value === MISSING ? undefined : asDocument(value);
    if (sub === undefined) return doc;
    sliced = sliceIn(sub, parts, index + 1, skip, limit);
  }
  const out = { ...doc };
  setField(out, name, sliced);
  return out;
}
