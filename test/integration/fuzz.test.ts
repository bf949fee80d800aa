/**
 * Wire fuzzing through a real socket (src/wire/fuzz.test.ts fuzzes the codec alone). A live
 * shoald with durable storage gets thousands of hostile connections: mutated valid messages,
 * random bodies behind valid headers, random BSON (every type byte, lying lengths, invalid
 * UTF-8, deep nesting, duplicate keys) inside valid OP_MSG frames for real commands with
 * wrongly typed arguments, truncated and split frames, bad OP_COMPRESSED payloads and giant
 * declared lengths. The invariant is mongod's: each request is answered with a well-formed
 * reply (ok: 0 with code, codeName and errmsg) or the connection is closed, never left
 * hanging; the process never dies; data written before the fuzz is untouched.
 *
 * Reproduce a run with SHOAL_FUZZ_SEED=<seed> (and SHOAL_FUZZ_ITERATIONS=<n>); a failure
 * names the seed, the iteration and the case's bytes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { deflateSync, inflateSync } from 'node:zlib';
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
  deserialize,
  serialize,
} from 'bson';
import type { Document } from 'bson';
import { MongoClient } from 'mongodb';
import { SeededRandom } from '../../src/platform/random.js';
import { crc32c } from '../../src/wire/crc32c.js';
import { decodeMessage } from '../../src/wire/decode-message.js';
import {
  encodeCompressed,
  encodeOpMsgRequest,
  encodeOpQueryRequest,
} from '../../src/wire/encode-message.js';
import { WireError } from '../../src/wire/wire-error.js';
import { headerSize, messageSizeMax, opCodes, opMsgFlags } from '../../src/wire/limits.js';
import { startServer } from '../helpers/server-process.js';
import type { ServerProcess } from '../helpers/server-process.js';

const seed = Number(process.env.SHOAL_FUZZ_SEED ?? 20_240_917);
const iterations = Number(process.env.SHOAL_FUZZ_ITERATIONS ?? 3000);
/** Replays one case (by its #index in a failure message) after generating the ones before it. */
const only =
  process.env.SHOAL_FUZZ_ONLY === undefined ? undefined : Number(process.env.SHOAL_FUZZ_ONLY);
const checkEvery = 500;
/** SHOAL_FUZZ_VERBOSE=1 tallies outcomes per case kind and error message, to tune the generators. */
const verbose = process.env.SHOAL_FUZZ_VERBOSE === '1';
const parallel = 16;
/** Each request must be answered (or the connection closed) within this, and so must a FIN. */
const responseTimeoutMs = 10_000;

// The known documents live where no fuzzed name can reach: random strings come from pools
// and byte soup, neither of which spells these names.
const knownDatabase = 'known_before_fuzz';
const knownCollection = 'untouchable';

class Dice {
  constructor(readonly random: SeededRandom) {}
  int(bound: number): number {
    return Math.floor(this.random.next() * bound);
  }
  chance(probability: number): boolean {
    return this.random.next() < probability;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  bytes(length: number): Buffer {
    return this.random.bytes(length);
  }
}

// ---- Raw BSON, written by hand so it can lie. --------------------------------------------

function int32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32LE(value | 0);
  return bytes;
}

function cstring(bytes: Buffer | string): Buffer {
  return Buffer.concat([Buffer.from(bytes), Buffer.from([0])]);
}

function documentBytes(elements: Buffer[], sizeDelta = 0): Buffer {
  const content = Buffer.concat(elements);
  return Buffer.concat([int32(content.length + 5 + sizeDelta), content, Buffer.from([0])]);
}

function element(type: number, name: Buffer | string, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type]), cstring(name), payload]);
}

/** A chain of `depth` nested documents or arrays, written in one pass (no quadratic concat). */
function nested(depth: number, type: 3 | 4): Buffer {
  const bytes = Buffer.alloc(5 + 8 * depth);
  let offset = 0;
  for (let level = 0; level < depth; level++) {
    bytes.writeInt32LE(5 + 8 * (depth - level), offset);
    bytes[offset + 4] = type;
    bytes[offset + 5] = type === 3 ? 0x61 : 0x30;
    offset += 7;
  }
  bytes.writeInt32LE(5, offset);
  return bytes;
}

const invalidUtf8 = [
  [0xc3, 0x28],
  [0xed, 0xa0, 0x80],
  [0xc0, 0x80],
  [0xff],
  [0xf4, 0x90, 0x80, 0x80],
  [0xe2, 0x82],
];
const words = [
  '',
  ...'c c1 c2 fuzz a b a.b a.0 $a _id x a.$ a.$[] a.$[i] a..b a.1500001 a.99999999999 $$ROOT $$CURRENT $a.b system.views system.profile admin local config fuzz.c ünï 日本 😀 text 2dsphere hashed i'.split(
    ' ',
  ),
];

function stringBytes(dice: Dice, corrupt: number): Buffer {
  if (dice.chance(corrupt)) {
    const bytes = dice.chance(0.5)
      ? Buffer.from(dice.pick(invalidUtf8))
      : Buffer.from(Array.from({ length: dice.int(12) }, () => 1 + dice.int(255)));
    return Buffer.concat([Buffer.from(dice.pick(words)), bytes]);
  }
  return Buffer.from(
    dice.chance(0.05) ? 'a'.repeat(dice.pick([100, 1000, 70_000])) : dice.pick(words),
  );
}

/** A string payload (int32 length, bytes, NUL), lying about its length when `corrupt`. */
function stringPayload(dice: Dice, corrupt: number): Buffer {
  const text = stringBytes(dice, corrupt);
  if (!dice.chance(corrupt)) return Buffer.concat([int32(text.length + 1), text, Buffer.from([0])]);
  const length = dice.pick([-1, 0, 1, text.length, text.length + 2, 2 ** 31 - 1, -(2 ** 31)]);
  return Buffer.concat([
    int32(length),
    text,
    dice.chance(0.5) ? Buffer.from([0]) : Buffer.alloc(0),
  ]);
}

const int32Values = [0, 1, -1, 2, 100, 2 ** 31 - 1, -(2 ** 31), 16_777_216, 48_000_000];
const int64Values = [0n, 1n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n, 100_001n];
const doubleValues = [NaN, Infinity, -Infinity, -0, 0.5, 1e308, 5e-324, 2 ** 63, -1, 1.5];
const decimalValues = 'NaN -Infinity 1E+6144 -0E-6176 0.1 9999999999999999999999999999999999'.split(
  ' ',
);

function numberPayload(dice: Dice): [number, Buffer] {
  const bytes = Buffer.alloc(8);
  switch (dice.int(4)) {
    case 0:
      return [0x10, int32(dice.chance(0.5) ? dice.pick(int32Values) : dice.bytes(4).readInt32LE())];
    case 1:
      bytes.writeBigInt64LE(
        dice.chance(0.5) ? dice.pick(int64Values) : dice.bytes(8).readBigInt64LE(),
      );
      return [0x12, bytes];
    case 2:
      bytes.writeDoubleLE(
        dice.chance(0.7) ? dice.pick(doubleValues) : dice.bytes(8).readDoubleLE(),
      );
      return [0x01, bytes];
    default:
      return [
        0x13,
        dice.chance(0.6)
          ? Buffer.from(Decimal128.fromString(dice.pick(decimalValues)).bytes)
          : dice.bytes(16),
      ];
  }
}

/** Any BSON value as [type byte, payload]; `corrupt` is the chance of each kind of lie. */
function randomValue(dice: Dice, depth: number, corrupt: number): [number, Buffer] {
  const choice = dice.int(depth > 3 ? 17 : 20);
  switch (choice) {
    case 0:
    case 1:
    case 2:
    case 3:
      return numberPayload(dice);
    case 4:
    case 5:
      return [0x02, stringPayload(dice, corrupt)];
    case 6: {
      const data = dice.bytes(dice.pick([0, 1, 15, 16, 17]));
      const subtype = dice.chance(corrupt)
        ? dice.pick([2, 9, 0x0a, 0x7f, 0xff])
        : dice.pick([0, 1, 3, 4, 5, 6, 7, 8, 0x80]);
      const length = dice.chance(corrupt)
        ? dice.pick([-1, data.length + 1, 2 ** 31 - 1])
        : data.length;
      return [0x05, Buffer.concat([int32(length), Buffer.from([subtype]), data])];
    }
    case 7:
      return [0x07, dice.bytes(12)];
    case 8:
      return [0x08, Buffer.from([dice.chance(corrupt) ? dice.int(256) : dice.int(2)])];
    case 9:
      return [0x09, dice.bytes(8)];
    case 10:
      return [dice.pick([0x0a, 0x06, 0xff, 0x7f]), Buffer.alloc(0)];
    case 11:
      return [
        0x0b,
        Buffer.concat([
          cstring(dice.pick(['(a+)+$', '[', 'a', '\\', '(?<n>x)', '^ü'])),
          cstring(
            dice.chance(corrupt)
              ? dice.pick(['zq', 'xi', 'ii'])
              : dice.pick(['', 'i', 'imsx', 'u', 's']),
          ),
        ]),
      ];
    case 12:
      return [dice.pick([0x0d, 0x0e]), stringPayload(dice, corrupt)];
    case 13: {
      const code = stringPayload(dice, corrupt);
      const scope = documentBytes([]);
      const total = dice.chance(corrupt)
        ? dice.pick([0, 14, 2 ** 30])
        : 4 + code.length + scope.length;
      return [0x0f, Buffer.concat([int32(total), code, scope])];
    }
    case 14:
      return [0x11, dice.bytes(8)];
    case 15:
      return [0x0c, Buffer.concat([stringPayload(dice, corrupt), dice.bytes(12)])];
    case 16:
      // A type byte MongoDB never assigned, with a few bytes behind it.
      if (dice.chance(corrupt))
        return [dice.pick([0x00, 0x14, 0x15, 0x20, 0x7e, 0x80, 0xfe]), dice.bytes(dice.int(9))];
      return numberPayload(dice);
    case 17:
      return [dice.pick([3, 4] as const), randomDocument(dice, depth + 1, corrupt, dice.int(4))];
    case 18:
      return [0x04, randomArray(dice, depth + 1, corrupt)];
    default: {
      const type = dice.pick([3, 4] as const);
      return [type, nested(dice.pick([20, 99, 100, 101, 150, 199, 200, 201, 1000, 20_000]), type)];
    }
  }
}

function fieldName(dice: Dice, corrupt: number): Buffer {
  if (dice.chance(corrupt)) return Buffer.from(dice.pick(invalidUtf8));
  return Buffer.from(dice.pick(words));
}

function randomDocument(dice: Dice, depth: number, corrupt: number, count: number): Buffer {
  const elements: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const [type, payload] = randomValue(dice, depth, corrupt);
    elements.push(element(type, fieldName(dice, corrupt), payload));
    // Duplicate keys: the same name again with another value.
    if (dice.chance(0.05)) elements.push(elements[elements.length - 1]!);
  }
  const delta = dice.chance(corrupt) ? dice.pick([-1, 1, -5, 1000, -(2 ** 31)]) : 0;
  return documentBytes(elements, delta);
}

function randomArray(dice: Dice, depth: number, corrupt: number): Buffer {
  const elements: Buffer[] = [];
  for (let i = dice.int(4); i > 0; i--) {
    const [type, payload] = randomValue(dice, depth, corrupt);
    elements.push(
      element(
        type,
        dice.chance(corrupt) ? dice.pick(['7', 'x', '']) : String(elements.length),
        payload,
      ),
    );
  }
  return documentBytes(elements);
}

// ---- Commands with plausible shapes and wrongly typed arguments. ----------------------------

type Value = [number, Buffer];

const text = (value: string): Value => [
  0x02,
  Buffer.concat([int32(Buffer.byteLength(value) + 1), cstring(value)]),
];
const integer = (value: number): Value => [0x10, int32(value)];
const object = (entries: [string, Value][]): Value => [
  0x03,
  documentBytes(entries.map(([name, [type, payload]]) => element(type, name, payload))),
];
const array = (values: Value[]): Value => [
  0x04,
  documentBytes(values.map(([type, payload], i) => element(type, String(i), payload))),
];

const paths = ['', ...'a b s b.c b.0 b.1.c _id x.y a.$ b.$[] b.$[i] a..b $a b.1500001'.split(' ')];
const queryOperators =
  '$eq $ne $gt $gte $lt $lte $in $nin $exists $type $regex $options $elemMatch $size $all $mod $not $bitsAllSet $bitsAnyClear $near $geoWithin $where $foo'.split(
    ' ',
  );
const expressionOperators =
  '$add $subtract $multiply $concat $cond $divide $toInt $toString $substrCP $strLenCP $regexMatch $let $map $reduce $filter $sum $mod $pow $round $trunc $split $arrayElemAt $objectToArray $getField $switch $toDecimal $sqrt $ln $exp $range $literal $size $slice $in $eq $cmp $and $isArray $type $abs $max $bogus'.split(
    ' ',
  );
const updateOperators =
  '$set $unset $inc $mul $rename $min $max $push $addToSet $pull $pop $bit $currentDate $setOnInsert $pullAll $foo'.split(
    ' ',
  );

/** Mostly well-formed values of the expected kind, now and then anything at all. */
function anything(dice: Dice, depth: number, corrupt: number): Value {
  if (depth > 4 || dice.chance(0.5)) return randomValue(dice, depth + 2, corrupt);
  return dice.chance(0.5)
    ? array([anything(dice, depth + 1, corrupt), anything(dice, depth + 1, corrupt)])
    : filter(dice, depth + 1, corrupt);
}

function expression(dice: Dice, depth: number, corrupt: number): Value {
  const roll = dice.int(10);
  if (roll < 3 || depth > 4) return text(`$${dice.pick(paths)}`);
  if (roll < 6) return randomValue(dice, depth + 2, corrupt);
  const operands = Array.from({ length: dice.int(4) }, () => expression(dice, depth + 1, corrupt));
  return object([
    [
      dice.pick(expressionOperators),
      dice.chance(0.8) ? array(operands) : (operands[0] ?? integer(1)),
    ],
  ]);
}

function filter(dice: Dice, depth: number, corrupt: number): Value {
  const entries: [string, Value][] = [];
  for (let i = dice.int(3); i >= 0; i--) {
    const roll = dice.int(10);
    if (depth > 3 || roll < 3)
      entries.push([dice.pick(paths), randomValue(dice, depth + 2, corrupt)]);
    else if (roll < 7)
      entries.push([
        dice.pick(paths),
        object([[dice.pick(queryOperators), anything(dice, depth + 1, corrupt)]]),
      ]);
    else if (roll < 9)
      entries.push([
        dice.pick(['$and', '$or', '$nor']),
        array([filter(dice, depth + 1, corrupt), filter(dice, depth + 1, corrupt)]),
      ]);
    else entries.push(['$expr', expression(dice, depth + 1, corrupt)]);
  }
  return object(entries);
}

function update(dice: Dice, corrupt: number): Value {
  const roll = dice.int(10);
  if (roll < 6)
    return object([
      [dice.pick(updateOperators), object([[dice.pick(paths), anything(dice, 2, corrupt)]])],
    ]);
  if (roll < 8)
    return array([
      object([
        [
          dice.pick(['$set', '$unset', '$project', '$replaceWith']),
          object([[dice.pick(paths), expression(dice, 1, corrupt)]]),
        ],
      ]),
    ]);
  return object([[dice.pick(paths), anything(dice, 1, corrupt)]]);
}

function stage(dice: Dice, corrupt: number): Value {
  switch (dice.int(9)) {
    case 0:
      return object([['$match', filter(dice, 1, corrupt)]]);
    case 1:
      return object([
        [
          '$project',
          object([
            [
              dice.pick(paths),
              dice.chance(0.5) ? integer(dice.int(2)) : expression(dice, 1, corrupt),
            ],
          ]),
        ],
      ]);
    case 2:
      return object([
        [
          '$group',
          object([
            ['_id', expression(dice, 1, corrupt)],
            [
              'n',
              object([
                [
                  dice.pick(['$sum', '$avg', '$push', '$max', '$first']),
                  expression(dice, 1, corrupt),
                ],
              ]),
            ],
          ]),
        ],
      ]);
    case 3:
      return object([['$sort', object([[dice.pick(paths), integer(dice.pick([1, -1, 0]))]])]]);
    case 4:
      return object([
        [dice.pick(['$limit', '$skip', '$sample', '$count']), randomValue(dice, 2, corrupt)],
      ]);
    case 5:
      return object([['$unwind', text(`$${dice.pick(paths)}`)]]);
    case 6:
      return object([['$addFields', object([[dice.pick(paths), expression(dice, 1, corrupt)]])]]);
    default:
      return object([
        [
          dice.pick(['$lookup', '$facet', '$unionWith', '$bucket', '$out', '$bogus']),
          anything(dice, 1, corrupt),
        ],
      ]);
  }
}

const some = (dice: Dice, make: () => Value): Value =>
  array(Array.from({ length: 1 + dice.int(3) }, make));

/** A value shaped like what the argument expects, so parsing gets past the outer layer. */
function plausible(dice: Dice, name: string, corrupt: number): Value {
  switch (name) {
    case 'documents':
      return some(dice, () => [0x03, randomDocument(dice, 1, corrupt, dice.int(5))]);
    case 'filter':
    case 'query':
    case 'validator':
      return filter(dice, 0, corrupt);
    case 'updates':
      return some(dice, () =>
        object([
          ['q', filter(dice, 1, corrupt)],
          ['u', update(dice, corrupt)],
          [dice.pick(['multi', 'upsert']), [0x08, Buffer.from([1])]],
        ]),
      );
    case 'deletes':
      return some(dice, () =>
        object([
          ['q', filter(dice, 1, corrupt)],
          ['limit', integer(dice.int(3))],
        ]),
      );
    case 'pipeline':
      return some(dice, () => stage(dice, corrupt));
    case 'indexes':
      return some(dice, () =>
        object([
          [
            'key',
            object([
              [
                dice.pick(paths),
                dice.chance(0.7) ? integer(dice.pick([1, -1])) : text(dice.pick(words)),
              ],
            ]),
          ],
          ['name', text(dice.pick(words))],
        ]),
      );
    case 'update':
      return update(dice, corrupt);
    case 'sort':
      return object([
        [
          dice.pick(paths),
          dice.chance(0.8) ? integer(dice.pick([1, -1])) : randomValue(dice, 2, corrupt),
        ],
      ]);
    case 'projection':
    case 'fields':
    case 'let':
      return object([
        [dice.pick(paths), dice.chance(0.5) ? integer(dice.int(2)) : expression(dice, 1, corrupt)],
      ]);
    case 'limit':
    case 'skip':
    case 'batchSize':
    case 'maxTimeMS':
      return dice.chance(0.5) ? integer(dice.pick([0, 1, 2, 5, -1])) : numberPayload(dice);
    case 'cursor':
      return object([['batchSize', integer(dice.int(3))]]);
    default:
      return randomValue(dice, 1, corrupt);
  }
}

const commandArguments: Record<string, readonly string[]> = {
  insert: ['documents', 'ordered', 'bypassDocumentValidation', 'writeConcern', 'comment'],
  find: 'filter projection sort skip limit batchSize singleBatch hint collation let min max returnKey showRecordId tailable awaitData noCursorTimeout maxTimeMS readConcern'.split(
    ' ',
  ),
  update: ['updates', 'ordered', 'let', 'writeConcern', 'bypassDocumentValidation'],
  delete: ['deletes', 'ordered', 'let', 'writeConcern'],
  aggregate: 'pipeline cursor explain allowDiskUse let hint collation maxTimeMS'.split(' '),
  createIndexes: ['indexes', 'commitQuorum', 'writeConcern'],
  hello:
    'helloOk client compression saslSupportedMechs loadBalanced topologyVersion maxAwaitTimeMS'.split(
      ' ',
    ),
  count: ['query', 'limit', 'skip', 'hint', 'collation'],
  distinct: ['key', 'query', 'collation'],
  findAndModify: 'query sort remove update new fields upsert arrayFilters let'.split(' '),
  getMore: ['collection', 'batchSize', 'maxTimeMS'],
  killCursors: ['cursors'],
  listCollections: ['filter', 'nameOnly', 'authorizedCollections', 'cursor'],
  create:
    'capped size max validator validationLevel validationAction viewOn pipeline collation'.split(
      ' ',
    ),
};
const commandNames = Object.keys(commandArguments);
const fuzzDatabase = text('fuzz');

/**
 * A command body. Half are tame (right collection and $db, plausible arguments) so they reach
 * query parsing and execution; the rest get wrongly typed arguments, extra fields, bad $db.
 */
function randomCommand(dice: Dice, corrupt: number): Buffer {
  const name = dice.pick(commandNames);
  const wild = dice.chance(0.5);
  const value = (argument: string): Value =>
    !wild || dice.chance(0.7) ? plausible(dice, argument, corrupt) : randomValue(dice, 1, corrupt);
  const target =
    !wild || dice.chance(0.75)
      ? text(dice.pick(['c', 'c', 'c1', 'c2']))
      : randomValue(dice, 1, corrupt);
  const entries: [string, Value][] = [[name, target]];
  const [primary, ...optional] = commandArguments[name]!;
  if (primary !== undefined && (!wild || dice.chance(0.85)))
    entries.push([primary, value(primary)]);
  for (const argument of optional) {
    if (dice.chance(wild ? 0.2 : 0.1)) entries.push([argument, value(argument)]);
  }
  if (wild && dice.chance(0.2))
    entries.push([
      dice.pick([
        'lsid',
        'txnNumber',
        'autocommit',
        'startTransaction',
        'readConcern',
        '$readPreference',
        'comment',
      ]),
      randomValue(dice, 1, corrupt),
    ]);
  if (wild && dice.chance(0.2)) entries.push([dice.pick(words), randomValue(dice, 1, corrupt)]);
  if (!wild || !dice.chance(0.05))
    entries.push(['$db', !wild || dice.chance(0.9) ? fuzzDatabase : randomValue(dice, 1, corrupt)]);
  const body = object(entries)[1];
  return wild && dice.chance(corrupt) ? mutateOnce(dice, body) : body;
}

// ---- Whole messages. ----------------------------------------------------------------------

interface FuzzCase {
  label: string;
  /** Written in order, with a short pause between them so they arrive as separate reads. */
  chunks: Buffer[];
}

function frame(opCode: number, parts: Buffer[], requestId: number, lengthDelta = 0): Buffer {
  const content = Buffer.concat(parts);
  const header = Buffer.alloc(headerSize);
  header.writeInt32LE(headerSize + content.length + lengthDelta, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(opCode, 12);
  return Buffer.concat([header, content]);
}

/** An OP_MSG around `body`: sometimes fire-and-forget, checksummed, with sequences or bad flags. */
function opMsg(dice: Dice, body: Buffer, corrupt: number): Buffer {
  let flags = dice.chance(0.1) ? opMsgFlags.moreToCome : 0;
  if (dice.chance(corrupt))
    flags |= dice.pick([1 << 2, 1 << 15, opMsgFlags.exhaustAllowed, 0xffffffff]);
  const parts = [Buffer.from([0]), body];
  if (dice.chance(0.15)) {
    const identifier = cstring(
      dice.pick(['documents', 'updates', 'deletes', 'ops', 'nsInfo', '$db', '']),
    );
    const documents = Array.from({ length: dice.int(3) }, () =>
      randomDocument(dice, 1, corrupt, dice.int(4)),
    );
    const content = Buffer.concat([identifier, ...documents]);
    parts.push(
      Buffer.from([1]),
      int32(content.length + 4 + (dice.chance(corrupt) ? dice.pick([-1, 1, 100]) : 0)),
      content,
    );
  }
  const checksum = dice.chance(0.1) && (flags & opMsgFlags.checksumPresent) === 0;
  const flagBytes = Buffer.alloc(4);
  flagBytes.writeUInt32LE((flags | (checksum ? opMsgFlags.checksumPresent : 0)) >>> 0);
  const message = frame(opCodes.msg, [flagBytes, ...parts], dice.int(2 ** 31), checksum ? 4 : 0);
  if (!checksum) return message;
  const trailer = Buffer.alloc(4);
  trailer.writeUInt32LE(dice.chance(corrupt) ? dice.int(2 ** 32) : crc32c(message));
  return Buffer.concat([message, trailer]);
}

function command(document: Document): Buffer {
  return Buffer.from(serialize({ ...document, $db: 'fuzz' }));
}

/** Valid requests the mutations start from, so they reach deep into the server. */
const seedMessages: Buffer[] = [
  encodeOpMsgRequest({
    requestId: 1,
    body: command({
      hello: 1,
      helloOk: true,
      client: { driver: { name: 'fuzz' } },
      compression: ['zlib'],
    }),
  }),
  encodeOpMsgRequest({ requestId: 2, body: command({ ping: 1 }), checksum: true }),
  encodeOpMsgRequest({
    requestId: 3,
    body: command({ insert: 'c', ordered: false }),
    sequences: [
      {
        identifier: 'documents',
        documents: [Buffer.from(serialize({ a: 1, b: [1, { c: 'x' }] }))],
      },
    ],
  }),
  encodeOpMsgRequest({
    requestId: 4,
    body: command({
      find: 'c',
      filter: { a: { $gt: 0 }, $expr: { $lt: ['$a', 5] } },
      sort: { a: -1 },
      projection: { b: 1 },
      limit: 3,
    }),
  }),
  encodeOpMsgRequest({
    requestId: 5,
    body: command({
      update: 'c',
      updates: [{ q: { a: 1 }, u: { $inc: { a: 1 }, $push: { b: 2 } }, multi: true }],
    }),
  }),
  encodeOpMsgRequest({
    requestId: 6,
    body: command({ delete: 'c', deletes: [{ q: { a: { $in: [7, 8] } }, limit: 0 }] }),
  }),
  encodeOpMsgRequest({
    requestId: 7,
    body: command({
      aggregate: 'c',
      pipeline: [{ $match: { a: 1 } }, { $group: { _id: '$a', n: { $sum: 1 } } }],
      cursor: {},
    }),
  }),
  encodeOpMsgRequest({
    requestId: 8,
    body: command({ createIndexes: 'c', indexes: [{ key: { a: 1 }, name: 'a_1' }] }),
  }),
  encodeOpQueryRequest({
    requestId: 9,
    fullCollectionName: 'admin.$cmd',
    query: Buffer.from(serialize({ isMaster: 1, client: { app: 'fuzz' } })),
  }),
  encodeCompressed(
    encodeOpMsgRequest({
      requestId: 10,
      body: command({ count: 'c', query: { a: { $exists: true } } }),
    }),
    2,
  ),
  encodeCompressed(
    encodeOpQueryRequest({
      requestId: 11,
      fullCollectionName: 'fuzz.$cmd',
      query: command({ ping: 1 }),
    }),
    0,
  ),
];

/** One byte-level change: flip, truncate, insert, delete, or overwrite an int32 with a length-like value. */
function mutateOnce(dice: Dice, bytes: Buffer): Buffer {
  const position = dice.int(bytes.length + 1);
  switch (dice.int(5)) {
    case 0: {
      if (position === bytes.length) return bytes;
      const copy = Buffer.from(bytes);
      copy[position] = (copy[position] ?? 0) ^ (1 + dice.int(255));
      return copy;
    }
    case 1:
      return bytes.subarray(0, position);
    case 2:
      return Buffer.concat([
        bytes.subarray(0, position),
        dice.bytes(1 + dice.int(8)),
        bytes.subarray(position),
      ]);
    case 3:
      return Buffer.concat([
        bytes.subarray(0, position),
        bytes.subarray(position + 1 + dice.int(8)),
      ]);
    default: {
      if (position + 4 > bytes.length) return bytes;
      const copy = Buffer.from(bytes);
      copy.writeInt32LE(
        dice.pick([-1, 0, 4, 5, 16, 2 ** 31 - 1, -(2 ** 31), 48_000_000]),
        position,
      );
      return copy;
    }
  }
}

function mutate(dice: Dice, bytes: Buffer): Buffer {
  let result = bytes;
  for (let count = 1 + dice.int(4); count > 0; count--) result = mutateOnce(dice, result);
  // Keep the header's length truthful half the time, so mutations get past the framer.
  if (result.length >= 4 && dice.chance(0.5)) {
    result = Buffer.from(result);
    result.writeInt32LE(result.length, 0);
  }
  return result;
}

/** The command name, for labels: the first element name after the OP_MSG header and flags. */
function firstName(message: Buffer): string {
  const start = headerSize + 4 + 1 + 4 + 1;
  return message.readInt32LE(12) === opCodes.msg
    ? message.toString('latin1', start, message.indexOf(0, start))
    : '(not OP_MSG)';
}

function randomBsonMessage(dice: Dice): Buffer {
  const corrupt = dice.chance(0.6) ? 0 : dice.pick([0.02, 0.1, 0.3]);
  const body = randomCommand(dice, corrupt);
  const kind = dice.int(20);
  if (kind === 0)
    return frame(
      opCodes.query,
      [
        int32(0),
        cstring(dice.pick(['fuzz.$cmd', 'admin.$cmd', 'fuzz.c', '.$cmd', 'x'])),
        int32(0),
        int32(-1),
        body,
      ],
      dice.int(2 ** 31),
    );
  const message = opMsg(dice, body, corrupt);
  return kind <= 3 ? encodeCompressed(message, dice.pick([0, 2])) : message;
}

// 10 MB of zeros deflates to about 10 KB: a bomb for an announced size that is far smaller.
const zlibBomb = deflateSync(Buffer.alloc(10_000_000));

function badCompressed(dice: Dice): Buffer {
  const inner = dice.chance(0.5) ? dice.pick(seedMessages) : randomBsonMessage(dice);
  const original = inner.subarray(headerSize);
  const payload = dice.pick([
    () => deflateSync(original),
    () => deflateSync(original).subarray(0, dice.int(original.length)),
    () => mutate(dice, deflateSync(original)),
    () => dice.bytes(dice.int(64)),
    () => zlibBomb,
    () => encodeCompressed(encodeOpMsgRequest({ requestId: 1, body: command({ ping: 1 }) }), 2),
    () => original,
  ])();
  const originalOpcode = dice.pick([
    opCodes.msg,
    opCodes.msg,
    opCodes.query,
    opCodes.compressed,
    opCodes.reply,
    0,
    -1,
    2001,
  ]);
  const size = dice.pick([
    original.length,
    original.length,
    original.length + 1,
    original.length - 1,
    -1,
    0,
    2 ** 31 - 1,
    messageSizeMax - headerSize,
    10_000_000,
  ]);
  const compressor = dice.pick([0, 1, 2, 2, 3, 4, 255]);
  const header = Buffer.alloc(9);
  header.writeInt32LE(originalOpcode, 0);
  header.writeInt32LE(size, 4);
  header.writeUInt8(compressor, 8);
  return frame(opCodes.compressed, [header, payload], dice.int(2 ** 31));
}

function giantLength(dice: Dice): Buffer {
  if (dice.chance(0.05)) {
    // A real message over the 16 MiB document limit, whole and correctly framed.
    const big = command({
      insert: 'c',
      documents: [{ blob: new Binary(Buffer.alloc(16 * 1024 * 1024 + dice.int(32 * 1024))) }],
    });
    return encodeOpMsgRequest({ requestId: dice.int(2 ** 31), body: big });
  }
  const header = Buffer.alloc(headerSize);
  header.writeInt32LE(
    dice.pick([
      messageSizeMax + 1,
      2 ** 31 - 1,
      -1,
      -(2 ** 31),
      0,
      15,
      16,
      messageSizeMax,
      20_000_000,
    ]),
    0,
  );
  header.writeInt32LE(dice.pick([opCodes.msg, opCodes.query, opCodes.compressed, 0]), 12);
  return Buffer.concat([header, dice.bytes(dice.int(64))]);
}

/** Splits `bytes` at 1-7 random points (or truncates it): the server must reassemble or wait. */
function splitOrTruncated(dice: Dice): FuzzCase {
  const messages = Array.from({ length: 1 + dice.int(3) }, () =>
    dice.chance(0.5) ? dice.pick(seedMessages) : randomBsonMessage(dice),
  );
  const stream = Buffer.concat(messages);
  if (dice.chance(0.3))
    return { label: 'truncated', chunks: [stream.subarray(0, dice.int(stream.length))] };
  const cuts = Array.from({ length: 1 + dice.int(7) }, () => dice.int(stream.length)).sort(
    (a, b) => a - b,
  );
  const chunks: Buffer[] = [];
  let start = 0;
  for (const cut of [...cuts, stream.length]) {
    chunks.push(stream.subarray(start, cut));
    start = cut;
  }
  return {
    label: `split ${messages.length} messages into ${chunks.length}`,
    chunks: chunks.filter((chunk) => chunk.length > 0),
  };
}

function nextCase(dice: Dice): FuzzCase {
  const roll = dice.int(100);
  if (roll < 20) return { label: 'mutated', chunks: [mutate(dice, dice.pick(seedMessages))] };
  if (roll < 25) {
    const opCode = dice.pick([
      opCodes.msg,
      opCodes.query,
      opCodes.compressed,
      opCodes.reply,
      2001,
      2002,
      2005,
      2006,
      2007,
      0,
      -1,
    ]);
    return {
      label: `random body, opCode ${opCode}`,
      chunks: [frame(opCode, [dice.bytes(dice.int(300))], dice.int(2 ** 31))],
    };
  }
  if (roll < 70) {
    const message = randomBsonMessage(dice);
    return { label: `random BSON command ${firstName(message)}`, chunks: [message] };
  }
  if (roll < 85) return splitOrTruncated(dice);
  if (roll < 95) return { label: 'bad OP_COMPRESSED', chunks: [badCompressed(dice)] };
  return { label: 'giant declared length', chunks: [giantLength(dice)] };
}

// ---- What the server must do, and talking to it. --------------------------------------------

interface Expectation {
  /** Requests that must each get a reply unless the server closes the connection. */
  replies: number;
  /** The stream holds a connection-fatal message: the server must close without our FIN. */
  closes: boolean;
  requestIds: Set<number>;
}

/** Walks the stream the way the server's framer and codec do (src/wire is pure, so shareable). */
function expectationFor(stream: Buffer): Expectation {
  const expectation: Expectation = { replies: 0, closes: false, requestIds: new Set() };
  for (let offset = 0; stream.length - offset >= 4;) {
    const length = stream.readInt32LE(offset);
    if (length < headerSize || length > messageSizeMax) return { ...expectation, closes: true };
    if (stream.length - offset < length) break;
    const bytes = stream.subarray(offset, offset + length);
    offset += length;
    try {
      const message = decodeMessage(bytes);
      if (message.kind === 'msg' && message.moreToCome) continue;
      expectation.replies++;
      expectation.requestIds.add(message.header.requestId);
    } catch (error) {
      if (!(error instanceof WireError)) throw error;
      if (error.closesConnection) return { ...expectation, closes: true };
      if (error.replyTo === undefined) continue;
      expectation.replies++;
      expectation.requestIds.add(error.replyTo.requestId);
    }
  }
  return expectation;
}

/** The reply document of one reply frame; asserts the frame and the ok: 0 shape. */
function checkReply(bytes: Buffer, requestIds: Set<number>): Document {
  assert.ok(
    requestIds.has(bytes.readInt32LE(8)),
    `reply to a request never sent (${bytes.readInt32LE(8)})`,
  );
  let opCode = bytes.readInt32LE(12);
  let body = bytes.subarray(headerSize);
  if (opCode === opCodes.compressed) {
    opCode = body.readInt32LE(0);
    const size = body.readInt32LE(4);
    body = body[8] === 2 ? inflateSync(body.subarray(9)) : body.subarray(9);
    assert.equal(body.length, size, 'compressed reply size');
  }
  assert.ok(opCode === opCodes.msg || opCode === opCodes.reply, `reply opCode ${opCode}`);
  const document = opCode === opCodes.msg ? body.subarray(5) : body.subarray(20);
  if (opCode === opCodes.msg)
    assert.deepEqual(
      [body.readUInt32LE(0), body[4]],
      [0, 0],
      'OP_MSG reply flags and section kind',
    );
  else assert.equal(body.readInt32LE(16), 1, 'OP_REPLY numberReturned');
  assert.equal(document.readInt32LE(0), document.length, 'the reply is exactly one BSON document');
  const reply = deserialize(document, { bsonRegExp: true });
  assert.equal(typeof reply.ok, 'number', 'ok is a number');
  if (reply.ok === 0) {
    assert.equal(typeof reply.code, 'number', 'ok: 0 has a numeric code');
    assert.ok(
      typeof reply.codeName === 'string' && reply.codeName.length > 0,
      'ok: 0 has a codeName',
    );
    assert.equal(typeof reply.errmsg, 'string', 'ok: 0 has an errmsg');
  }
  return reply;
}

/** Sends a case on a fresh connection; resolves with the replies once the server has closed it. */
async function exchange(port: number, fuzzCase: FuzzCase): Promise<Document[]> {
  const expectation = expectationFor(Buffer.concat(fuzzCase.chunks));
  const socket = connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  const frames: Buffer[] = [];
  let pending = Buffer.alloc(0);
  let closed = false;
  let badLength: number | undefined;
  let wake = (): void => undefined;
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (
      pending.length >= 4 &&
      badLength === undefined &&
      pending.length >= pending.readInt32LE(0)
    ) {
      const length = pending.readInt32LE(0);
      if (length < headerSize || length > messageSizeMax) badLength = length;
      else frames.push(pending.subarray(0, length));
      pending = pending.subarray(length);
    }
    wake();
  });
  socket.on('error', () => undefined);
  socket.on('close', () => {
    closed = true;
    wake();
  });
  const until = (condition: () => boolean, what: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `${what} within ${responseTimeoutMs} ms (${frames.length}/${expectation.replies} replies)`,
            ),
          ),
        responseTimeoutMs,
      );
      wake = () => condition() && (clearTimeout(timer), resolve());
      wake();
    });
  await new Promise((resolve) => socket.once('connect', resolve));
  for (const [index, chunk] of fuzzCase.chunks.entries()) {
    if (closed) break;
    socket.write(chunk);
    if (index < fuzzCase.chunks.length - 1) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  try {
    await until(
      () => closed || (!expectation.closes && frames.length >= expectation.replies),
      expectation.closes ? 'the server did not close the connection' : 'no reply',
    );
    socket.end();
    await until(() => closed, 'the connection stayed open after our FIN');
  } finally {
    socket.destroy();
  }
  assert.equal(badLength, undefined, 'reply frame length');
  assert.ok(
    frames.length <= expectation.replies,
    `${frames.length} replies to ${expectation.replies} requests`,
  );
  return frames.map((bytes) => checkReply(bytes, expectation.requestIds));
}

// ---- The run. ------------------------------------------------------------------------------

/** Every BSON type the driver can write, in documents whose bytes must survive unchanged. */
const knownDocuments: Document[] = Array.from({ length: 40 }, (_, i) => ({
  _id: [new Int32(i), `known-${i}`, new ObjectId(i.toString(16).padStart(24, '0'))][i % 3],
  int: new Int32(i - 20),
  long: Long.fromBigInt(2n ** 53n + BigInt(i)),
  double: new Double(i === 0 ? -0 : i / 3),
  decimal: Decimal128.fromString(`${i}.10`),
  text: `ünïcödé ${'x'.repeat(i)}`,
  nested: { array: [new Int32(i), { deep: null }, []], when: new Date(1_700_000_000_000 + i) },
  binary: new Binary(Buffer.from([i, 0, 255]), i % 2 === 0 ? 0 : 0x80),
  regex: new BSONRegExp('^k', 'i'),
  stamp: new Timestamp({ t: i + 1, i: 1 }),
  bounds: [new MinKey(), new MaxKey()],
  flag: i % 2 === 0,
}));

async function verifyKnownDocuments(client: MongoClient): Promise<void> {
  assert.equal((await client.db('admin').command({ ping: 1 })).ok, 1, 'the driver can still ping');
  const collection = client.db(knownDatabase).collection(knownCollection);
  const stored = await Promise.all(
    knownDocuments.map((document) => collection.findOne({ _id: document._id }, { raw: true })),
  );
  stored.forEach((bytes, index) => {
    const expected = serialize(knownDocuments[index]!);
    assert.ok(bytes !== null, `known document ${index} is missing`);
    if (!Buffer.from(bytes as unknown as Uint8Array).equals(expected)) {
      assert.deepEqual(
        deserialize(bytes as unknown as Uint8Array),
        deserialize(expected),
        `known document ${index} changed`,
      );
    }
  });
  const count = await client.db(knownDatabase).command({ count: knownCollection });
  assert.equal(count.n, knownDocuments.length, 'no document was added or removed');
}

function nestedObject(depth: number): Document {
  let document: Document = {};
  for (let level = 0; level < depth; level++) document = { a: document };
  return document;
}

async function runPool<T>(
  items: T[],
  width: number,
  worker: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await worker(items[next++] as T);
  };
  await Promise.all(Array.from({ length: width }, lane));
}

/** InternalError replies mean a handler threw something that was not a MongoError: a bug. */
function internalErrors(replies: Document[]): string[] {
  return replies
    .filter((reply) => reply.ok === 0 && reply.code === 1)
    .map((reply) => String(reply.errmsg));
}

function outcome(reply: Document, fuzzCase: FuzzCase): string {
  const name = reply.ok === 0 ? String(reply.codeName) : 'ok';
  return verbose ? `${name}: ${fuzzCase.label}: ${String(reply.errmsg ?? '').slice(0, 80)}` : name;
}

function describeCase(index: number, fuzzCase: FuzzCase, error: unknown): string {
  const bytes = Buffer.concat(fuzzCase.chunks);
  const message = error instanceof Error ? error.message : String(error);
  return `#${index} ${fuzzCase.label} (${bytes.length} bytes: ${bytes.subarray(0, only === undefined ? 200 : undefined).toString('hex')}): ${message}`;
}

describe(`wire fuzz against a live shoald (SHOAL_FUZZ_SEED=${seed}, ${iterations} iterations)`, () => {
  let server: ServerProcess;
  let client: MongoClient;

  before(async () => {
    server = await startServer();
    client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 10_000 });
    const journaled = { writeConcern: { w: 1, j: true } };
    await client
      .db(knownDatabase)
      .collection(knownCollection)
      .insertMany(knownDocuments, journaled);
    const fuzzDocuments = Array.from({ length: 30 }, (_, i) => ({
      a: i % 7,
      b: [i, 'x', { c: i }],
      s: 'a'.repeat(i),
    }));
    await client.db('fuzz').collection('c').insertMany(fuzzDocuments, journaled);
  });

  after(async () => {
    await client.close();
    await server.kill();
    server.cleanup();
  });

  // Deterministic cases: what the fuzz found, minimized, and the framing limits it relies on.

  test('a declared length over maxMessageSizeBytes closes that connection without a reply', async () => {
    const header = Buffer.alloc(headerSize);
    header.writeInt32LE(messageSizeMax + 1, 0);
    header.writeInt32LE(opCodes.msg, 12);
    assert.deepEqual(await exchange(server.port, { label: 'giant', chunks: [header] }), []);
    assert.equal((await client.db('admin').command({ ping: 1 })).ok, 1);
  });

  test('a zlib bomb behind a small uncompressedSize closes that connection', async () => {
    const header = Buffer.alloc(9);
    header.writeInt32LE(opCodes.msg, 0);
    header.writeInt32LE(100, 4);
    header.writeUInt8(2, 8);
    const bomb = frame(opCodes.compressed, [header, zlibBomb], 1);
    assert.deepEqual(await exchange(server.port, { label: 'bomb', chunks: [bomb] }), []);
  });

  test('a request split into single bytes is reassembled and answered', async () => {
    const ping = encodeOpMsgRequest({ requestId: 7, body: command({ ping: 1 }) });
    const chunks = Array.from(ping, (byte) => Buffer.from([byte]));
    const replies = await exchange(server.port, { label: 'bytewise', chunks });
    assert.deepEqual(
      replies.map((reply) => reply.ok),
      [1],
    );
  });

  // Found by the fuzz: random Timestamp bytes in an inserted document. mongod stores the increment as an
  // unsigned 32-bit value; serialize.ts writes it with writeInt32LE, which throws at 2^31.
  test(
    'regression: a Timestamp increment of 2^31 or more is stored',
    { todo: 'src/bson/serialize.ts: Timestamp.i >= 2^31 throws RangeError (InternalError)' },
    async () => {
      const collection = client.db('regressions').collection('timestamps');
      const stamp = new Timestamp({ t: 1, i: 2 ** 32 - 1 });
      await collection.insertOne({ _id: 1, stamp } as Document);
      const stored = await collection.findOne({ _id: 1 } as Document);
      assert.ok(stored?.stamp instanceof Timestamp && stored.stamp.equals(stamp));
    },
  );

  // Found by the fuzz: a 20,000-level document overflows the JS stack. mongod
  // validates every incoming document and refuses nesting beyond 200 levels with Overflow
  // ("BSONObj exceeded maximum nested object depth: 200", src/mongo/bson/bson_validate.cpp).
  test(
    'regression: a command nested deeper than 200 levels fails with Overflow',
    { todo: 'no depth check: InternalError (stack overflow) on insert, silent acceptance on find' },
    async () => {
      const collection = client.db('regressions').collection('deep');
      const overflow = (error: { code?: number }): boolean => error.code === 15;
      await assert.rejects(
        collection.insertOne({ _id: 1, x: nestedObject(5000) } as Document),
        overflow,
      );
      await assert.rejects(collection.findOne({ x: nestedObject(5000) }), overflow);
    },
  );

  // Found by the fuzz (seed 237, minimized from a 2 KB findAndModify): a non-document in
  // arrayFilters reached the filter compiler and came back as InternalError. mongod's IDL
  // declares the field array<object>, so parsing fails with TypeMismatch.
  test('regression: findAndModify with a non-document arrayFilters element is a TypeMismatch', async () => {
    const command = { findAndModify: 'c', update: {}, arrayFilters: [new ObjectId()] };
    await assert.rejects(
      client.db('regressions').command(command),
      (error: Error & { code?: number }) => {
        assert.equal(error.code, 14);
        assert.equal(
          error.message,
          "BSON field 'findAndModify.arrayFilters.0' is the wrong type 'objectId', expected type 'object'",
        );
        return true;
      },
    );
  });

  // Found by the fuzz: a count whose filter was {_id: <70 KB value>}. Such an _id cannot be
  // stored (Shoal refuses index keys over ~1.9 KB with KeyTooLong), so the lookup must simply
  // find nothing; instead lmdb's key buffer overflows (RangeError "offset is out of bounds").
  test(
    'regression: find and count by an _id longer than any index key match nothing',
    { todo: '_id point lookups with keys over lmdb maxKeySize throw RangeError (InternalError)' },
    async () => {
      const database = client.db('regressions');
      await database.collection('long').insertOne({ _id: 'short' } as Document);
      const _id = 'a'.repeat(5000);
      assert.equal(await database.collection('long').findOne({ _id } as Document), null);
      assert.equal((await database.command({ count: 'long', query: { _id } })).n, 0);
    },
  );

  // mongod refuses to store documents nested deeper than 180 levels (getMaxDepthForUserStorage:
  // 200 minus 20 reserved for oplog wrapping; validateDepth in src/mongo/db/ops/insert.cpp).
  test(
    'regression: documents nested deeper than 180 levels are refused with Overflow',
    { todo: 'no storage depth limit' },
    async () => {
      const collection = client.db('regressions').collection('depth');
      // {_id, x: nestedObject(n)} is n + 2 levels deep, counting the document itself.
      await collection.insertOne({ _id: 178, x: nestedObject(178) } as Document);
      await assert.rejects(
        collection.insertOne({ _id: 179, x: nestedObject(179) } as Document),
        (error: { code?: number }) => error.code === 15,
      );
    },
  );

  test('every request is answered or its connection closed; known documents survive', async (t) => {
    const dice = new Dice(new SeededRandom(seed));
    const bugs = new Map<string, string>();
    const outcomes = new Map<string, number>();
    const tally = (key: string): void => void outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    for (let start = 0; start < iterations; start += checkEvery) {
      // Generated up front, in order, so a seed names the same cases however the run interleaves.
      const batch = Array.from(
        { length: Math.min(checkEvery, iterations - start) },
        (_, offset) => ({ index: start + offset, fuzzCase: nextCase(dice) }),
      );
      const failures: string[] = [];
      await runPool(
        batch.filter(({ index }) => only === undefined || index === only),
        parallel,
        async ({ index, fuzzCase }) => {
          try {
            const replies = await exchange(server.port, fuzzCase);
            if (replies.length === 0) tally(verbose ? `no reply: ${fuzzCase.label}` : 'no reply');
            for (const reply of replies) tally(outcome(reply, fuzzCase));
            for (const message of internalErrors(replies)) {
              if (!bugs.has(message)) bugs.set(message, describeCase(index, fuzzCase, message));
            }
          } catch (error) {
            failures.push(describeCase(index, fuzzCase, error));
          }
        },
      );
      assert.deepEqual(failures.slice(0, 5), [], `seed ${seed}: ${failures.length} failed cases`);
      assert.equal(server.child.exitCode, null, 'the server is still running');
      await verifyKnownDocuments(client);
    }
    const sorted = [...outcomes].sort((a, b) => b[1] - a[1]);
    t.diagnostic(`outcomes: ${sorted.map(([key, count]) => `${key} ${count}`).join(', ')}`);
    for (const found of bugs.values()) t.diagnostic(`InternalError: ${found}`);
  });

  test('SIGTERM stops the server with exit code 0 and no fatal log line', async (t) => {
    await client.close();
    assert.equal(await server.stop(), 0);
    const entries = server.logLines.flatMap((line) => {
      try {
        return [JSON.parse(line) as { s?: string; msg?: string; attr?: unknown }];
      } catch {
        return [];
      }
    });
    assert.deepEqual(
      entries.filter((entry) => entry.s === 'F'),
      [],
    );
    const errors = entries.filter((entry) => entry.s === 'E');
    for (const entry of errors.slice(0, 20))
      t.diagnostic(`E log line: ${JSON.stringify(entry).slice(0, 400)}`);
  });
});
