/**
 * Command bodies for the wire fuzz: real command names with plausible shapes (filters,
 * updates, pipelines, index specs) whose leaves are random BSON, so requests get past the
 * envelope into argument parsing, query compilation and execution. Half are "wild": wrongly
 * typed arguments, unknown fields, a bad $db, or a byte-level mutation of the whole body.
 */
import {
  cstring,
  documentBytes,
  element,
  int32,
  list,
  mutateOnce,
  numberPayload,
  randomDocument,
  randomValue,
  words,
} from './fuzz-bson.js';
import type { Dice } from './fuzz-bson.js';

export type Value = [number, Buffer];

export const text = (value: string): Value => [
  0x02,
  Buffer.concat([int32(Buffer.byteLength(value) + 1), cstring(value)]),
];
const integer = (value: number): Value => [0x10, int32(value)];
export const object = (entries: [string, Value][]): Value => [
  0x03,
  documentBytes(entries.map(([name, [type, payload]]) => element(type, name, payload))),
];
export const array = (values: Value[]): Value => [
  0x04,
  documentBytes(values.map(([type, payload], i) => element(type, String(i), payload))),
];

const paths = ['', ...list('a b s b.c b.0 b.1.c _id x.y a.$ b.$[] b.$[i] a..b $a b.1500001')];
const queryOperators = list(`
  $eq $ne $gt $gte $lt $lte $in $nin $exists $type $regex $options $elemMatch $size $all
  $mod $not $bitsAllSet $bitsAnyClear $near $geoWithin $where $foo
`);
const expressionOperators = list(`
  $add $subtract $multiply $concat $cond $divide $toInt $toString $substrCP $strLenCP
  $regexMatch $let $map $reduce $filter $sum $mod $pow $round $trunc $split $arrayElemAt
  $objectToArray $getField $switch $toDecimal $sqrt $ln $exp $range $literal $size $slice
  $in $eq $cmp $and $isArray $type $abs $max $bogus
`);
const updateOperators = list(`
  $set $unset $inc $mul $rename $min $max $push $addToSet $pull $pop $bit $currentDate
  $setOnInsert $pullAll $foo
`);

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

/** What a command requires (a tame body always has it) and what it may carry. */
interface CommandShape {
  required: readonly string[];
  optional: readonly string[];
}

function shape(required: string, optional: string): CommandShape {
  return { required: list(required), optional: list(optional) };
}

const commandShapes: Record<string, CommandShape> = {
  insert: shape('documents', 'ordered bypassDocumentValidation writeConcern comment'),
  find: shape(
    'filter',
    `projection sort skip limit batchSize singleBatch hint collation let min max returnKey
     showRecordId tailable awaitData noCursorTimeout maxTimeMS readConcern`,
  ),
  update: shape('updates', 'ordered let writeConcern bypassDocumentValidation'),
  delete: shape('deletes', 'ordered let writeConcern'),
  aggregate: shape('pipeline cursor', 'explain allowDiskUse let hint collation maxTimeMS'),
  createIndexes: shape('indexes', 'commitQuorum writeConcern'),
  hello: shape(
    '',
    'helloOk client compression saslSupportedMechs loadBalanced topologyVersion maxAwaitTimeMS',
  ),
  count: shape('query', 'limit skip hint collation'),
  distinct: shape('key', 'query collation'),
  findAndModify: shape('query', 'sort remove update new fields upsert arrayFilters let'),
  getMore: shape('collection', 'batchSize maxTimeMS'),
  killCursors: shape('cursors', ''),
  listCollections: shape('', 'filter nameOnly authorizedCollections cursor'),
  create: shape(
    '',
    'capped size max validator validationLevel validationAction viewOn pipeline collation',
  ),
};
const commandNames = Object.keys(commandShapes);
const fuzzDatabase = text('fuzz');
const envelopeFields = list(
  'lsid txnNumber autocommit startTransaction readConcern $readPreference comment',
);

/**
 * A command body. Half are tame (right collection and $db, required arguments present and
 * plausible) so they reach query parsing and execution; the rest get wrongly typed or missing
 * arguments, extra fields, a bad $db, or a byte-level mutation.
 */
export function randomCommand(dice: Dice, corrupt: number): Buffer {
  const name = dice.pick(commandNames);
  const { required, optional } = commandShapes[name]!;
  const wild = dice.chance(0.5);
  const value = (argument: string): Value =>
    !wild || dice.chance(0.7) ? plausible(dice, argument, corrupt) : randomValue(dice, 1, corrupt);
  const target =
    !wild || dice.chance(0.75)
      ? text(dice.pick(['c', 'c', 'c1', 'c2']))
      : randomValue(dice, 1, corrupt);
  const entries: [string, Value][] = [[name, target]];
  for (const argument of required) {
    if (!wild || dice.chance(0.85)) entries.push([argument, value(argument)]);
  }
  for (const argument of optional) {
    if (dice.chance(wild ? 0.2 : 0.1)) entries.push([argument, value(argument)]);
  }
  if (wild && dice.chance(0.2))
    entries.push([dice.pick(envelopeFields), randomValue(dice, 1, corrupt)]);
  if (wild && dice.chance(0.2)) entries.push([dice.pick(words), randomValue(dice, 1, corrupt)]);
  if (!wild || !dice.chance(0.05)) {
    entries.push(['$db', !wild || dice.chance(0.9) ? fuzzDatabase : randomValue(dice, 1, corrupt)]);
  }
  const body = object(entries)[1];
  return wild && dice.chance(corrupt) ? mutateOnce(dice, body) : body;
}
