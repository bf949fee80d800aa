/**
 * Stages that read or write other collections: $lookup, $unionWith, $graphLookup, $out and
 * $merge, over a real (ephemeral) storage engine, plus $facet. Expectations follow the
 * manual and jstests/aggregation/sources/graphLookup/missing_fields.js.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Int32 } from 'bson';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import type { StorageEngine } from '../../storage/storage-engine.js';
import fc from 'fast-check';
import { dbl, int, typed } from '../test-support.js';
import {
  collectionDocuments,
  insertDocuments,
  pipelineError,
  runOnCollection,
  runPipeline,
  testStorage,
} from './test-support.js';

const show = (docs: BsonDocument[]): string[] => docs.map(typed);

let storage: StorageEngine;

before(() => {
  storage = testStorage();
  insertDocuments(storage, 'orders', [
    { _id: int(1), item: 'a', qty: int(2) },
    { _id: int(2), item: ['b', 'c'], qty: int(1) },
    { _id: int(3), qty: int(5) },
  ]);
  insertDocuments(storage, 'items', [
    { _id: 'a', sku: 'a', price: int(10) },
    { _id: 'b', sku: 'b', price: int(20) },
    { _id: 'c', sku: 'c', price: int(30) },
    { _id: 'n', sku: null, price: int(0) },
    { _id: 'm', price: int(-1) },
  ]);
});

after(async () => {
  await storage.close();
});

function run(pipeline: BsonValue[], collection = 'orders'): string[] {
  return show(runOnCollection(pipeline, collection, { storage }));
}

function error(pipeline: BsonValue[], collection = 'orders'): number {
  try {
    runOnCollection(pipeline, collection, { storage });
  } catch (caught) {
    if (caught instanceof MongoError) return caught.code;
    throw caught;
  }
  throw new Error('expected an error');
}

describe('$lookup', () => {
  test('equality: arrays match any element; no local value matches null and missing', () => {
    const out = run([
      { $lookup: { from: 'items', localField: 'item', foreignField: 'sku', as: 'found' } },
      { $project: { 'found.price': int(1) } },
    ]);
    assert.deepEqual(out, [
      '{_id: int:1, found: [{price: int:10}]}',
      '{_id: int:2, found: [{price: int:20}, {price: int:30}]}',
      '{_id: int:3, found: [{price: int:0}, {price: int:-1}]}',
    ]);
  });

  test('pipeline with let, combined with localField/foreignField', () => {
    const out = run([
      {
        $lookup: {
          from: 'items',
          localField: 'item',
          foreignField: 'sku',
          let: { q: '$qty' },
          pipeline: [{ $project: { _id: int(0), total: { $multiply: ['$price', '$$q'] } } }],
          as: 'lines',
        },
      },
      { $project: { lines: int(1) } },
    ]);
    assert.deepEqual(out.slice(0, 2), [
      '{_id: int:1, lines: [{total: int:20}]}',
      '{_id: int:2, lines: [{total: int:20}, {total: int:30}]}',
    ]);
  });

  test('an uncorrelated pipeline, a missing collection, and $documents without from', () => {
    assert.deepEqual(
      run([
        { $limit: int(1) },
        { $lookup: { from: 'nothing', pipeline: [], as: 'x' } },
        { $project: { x: int(1) } },
      ]),
      ['{_id: int:1, x: []}'],
    );
    const docs = run([
      { $limit: int(1) },
      { $lookup: { pipeline: [{ $documents: [{ k: int(1) }] }], as: 'x' } },
      { $project: { x: int(1) } },
    ]);
    assert.deepEqual(docs, ['{_id: int:1, x: [{k: int:1}]}']);
  });

  const errors: [BsonValue, number][] = [
    [int(1), 9],
    [{ from: 'items', as: 'x' }, 9],
    [{ from: 'items', localField: 'a', as: 'x' }, 9],
    [{ from: 'items', localField: 'a', foreignField: 'b', let: {}, as: 'x' }, 9],
    [{ from: 'items', localField: 'a', foreignField: 'b' }, 9],
    [{ from: 'items', localField: 'a', foreignField: 'b', as: 'x', bad: int(1) }, 9],
    [{ from: 'items', pipeline: [{ $out: 'z' }], as: 'x' }, 51047],
    [{ pipeline: [], as: 'x' }, 9],
  ];
  for (const [spec, code] of errors) {
    test(`error ${code}: ${JSON.stringify(spec)}`, () =>
      assert.equal(error([{ $lookup: spec }]), code));
  }
});

describe('$lookup hash join', () => {
  // Values a field may hold: numbers of several types, null, missing, arrays (nested too)
  // and arrays of documents, so every $eq rule is exercised.
  const scalar = fc.oneof(
    fc.integer({ min: 0, max: 3 }).map(int),
    fc.constantFrom(null, dbl(1), 'a'),
  );
  const fieldValue = fc.oneof(
    scalar,
    fc.array(scalar, { maxLength: 3 }),
    fc.array(fc.record({ g: scalar }), { maxLength: 2 }),
    fc.constant(undefined),
  );

  test('property: the hash join finds what the indexed nested loop finds', () => {
    fc.assert(
      fc.property(
        fc.array(fieldValue, { maxLength: 12 }),
        fc.array(fieldValue, { maxLength: 6 }),
        (foreign, local) => {
          const engine = testStorage();
          try {
            const docs = foreign.map((f, i) =>
              f === undefined ? { _id: int(i) } : { _id: int(i), f },
            );
            insertDocuments(engine, 'hashed', docs);
            engine.write(() => {
              const entry = engine.createCollection('test.indexed', {});
              engine.addIndex(entry, { v: new Int32(2), key: { f: new Int32(1) }, name: 'f_1' });
            });
            insertDocuments(engine, 'indexed', docs);
            insertDocuments(
              engine,
              'local',
              local.map((l, i) => (l === undefined ? { _id: int(i) } : { _id: int(i), l })),
            );
            const lookup = (from: string): BsonValue[] => [
              { $lookup: { from, localField: 'l', foreignField: 'f', as: 'm' } },
              // An index scan returns matches in key order, the hash join in collection order.
              { $project: { ids: { $sortArray: { input: '$m._id', sortBy: int(1) } } } },
            ];
            const hashed = runOnCollection(lookup('hashed'), 'local', { storage: engine });
            const indexed = runOnCollection(lookup('indexed'), 'local', { storage: engine });
            assert.deepEqual(show(hashed), show(indexed));
          } finally {
            void engine.close();
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('$unionWith', () => {
  test('the input, then the other collection through its pipeline', () => {
    const out = run([
      { $project: { _id: int(1) } },
      {
        $unionWith: {
          coll: 'items',
          pipeline: [{ $match: { price: { $gt: int(15) } } }, { $project: { _id: int(1) } }],
        },
      },
    ]);
    assert.deepEqual(out, [
      '{_id: int:1}',
      '{_id: int:2}',
      '{_id: int:3}',
      '{_id: string:b}',
      '{_id: string:c}',
    ]);
    assert.equal(run([{ $unionWith: 'items' }]).length, 8);
  });

  test('errors', () => {
    assert.equal(error([{ $unionWith: int(1) }]), 9);
    assert.equal(error([{ $unionWith: { pipeline: [] } }]), 9);
    assert.equal(error([{ $unionWith: { coll: 'items', x: int(1) } }]), 40415);
  });
});

describe('$graphLookup', () => {
  // jstests/aggregation/sources/graphLookup/missing_fields.js
  test('null starts match stored nulls only; missing starts match nothing', () => {
    const local = storage;
    insertDocuments(local, 'graph', [
      { _id: int(0), x: int(1), y: int(1) },
      { _id: int(1), x: int(1), y: null },
      { _id: int(2), x: int(1), y: int(1) },
      { _id: int(3), x: int(1) },
    ]);
    const spec = {
      from: 'graph',
      startWith: '$y',
      connectFromField: 'x',
      connectToField: 'y',
      as: 'arr',
      maxDepth: int(0),
    };
    const out = run([{ $graphLookup: spec }, { $project: { ids: '$arr._id' } }], 'graph');
    assert.deepEqual(out, [
      '{_id: int:0, ids: [int:0, int:2]}',
      '{_id: int:1, ids: [int:1]}',
      '{_id: int:2, ids: [int:0, int:2]}',
      '{_id: int:3, ids: []}',
    ]);
  });

  test('follows connections breadth first, with depthField and maxDepth', () => {
    insertDocuments(storage, 'people', [
      { _id: 'a', boss: null },
      { _id: 'b', boss: 'a' },
      { _id: 'c', boss: 'b' },
      { _id: 'd', boss: 'c' },
    ]);
    const spec = {
      from: 'people',
      startWith: '$boss',
      connectFromField: 'boss',
      connectToField: '_id',
      as: 'chain',
      depthField: 'depth',
    };
    const out = run(
      [{ $match: { _id: 'd' } }, { $graphLookup: spec }, { $project: { chain: int(1) } }],
      'people',
    );
    assert.deepEqual(out, [
      '{_id: string:d, chain: [{_id: string:c, boss: string:b, depth: long:0}, {_id: string:b, boss: string:a, depth: long:1}, {_id: string:a, boss: null, depth: long:2}]}',
    ]);
    const limited = run(
      [
        { $match: { _id: 'd' } },
        { $graphLookup: { ...spec, maxDepth: int(1) } },
        { $project: { n: { $size: '$chain' } } },
      ],
      'people',
    );
    assert.deepEqual(limited, ['{_id: string:d, n: int:2}']);
  });

  // jstests/aggregation/sources/graphLookup/error.js
  const base = {
    from: 'people',
    startWith: { $literal: int(0) },
    connectToField: 'a',
    connectFromField: 'b',
    as: 'o',
  };
  const errors: [BsonValue, number][] = [
    [int(4), 9],
    [{ ...base, maxDepth: 'x' }, 40100],
    [{ ...base, maxDepth: int(-1) }, 40101],
    [{ ...base, as: int(0) }, 40103],
    [{ ...base, as: '$o' }, 16410],
    [{ ...base, restrictSearchWithMatch: 'x' }, 40185],
    [{ ...base, other: int(1) }, 40104],
    [{ from: 'people', startWith: int(0), connectToField: 'a', as: 'o' }, 40105],
  ];
  for (const [spec, code] of errors) {
    test(`error ${code}`, () => assert.equal(error([{ $graphLookup: spec }], 'people'), code));
  }
});

describe('$out', () => {
  test('replaces the target atomically, keeping its indexes', () => {
    insertDocuments(storage, 'target', [{ _id: int(99), old: true }]);
    storage.write(() => {
      const entry = storage.collection('test.target');
      if (entry !== undefined)
        storage.addIndex(entry, { v: new Int32(2), key: { qty: new Int32(1) }, name: 'qty_1' });
    });
    assert.deepEqual(run([{ $match: { qty: { $gt: int(1) } } }, { $out: 'target' }]), []);
    assert.deepEqual(show(collectionDocuments(storage, 'target')), [
      '{_id: int:1, item: string:a, qty: int:2}',
      '{_id: int:3, qty: int:5}',
    ]);
    assert.deepEqual(
      storage.collection('test.target')?.indexes.map((index) => index.name),
      ['_id_', 'qty_1'],
    );
  });

  test('a failure leaves the target as it was and no temporary collection', () => {
    const before = show(collectionDocuments(storage, 'target'));
    assert.equal(
      error([
        { $project: { _id: int(0), _id2: '$_id' } },
        { $set: { _id: int(1) } },
        { $out: 'target' },
      ]),
      11000,
    );
    assert.deepEqual(show(collectionDocuments(storage, 'target')), before);
    assert.deepEqual(
      storage.collections('test').filter((entry) => entry.name.startsWith('tmp.agg_out')),
      [],
    );
  });

  test('parse errors', () => {
    assert.equal(pipelineError([{ $out: int(1) }], [], { storage }).code, 16990);
    assert.equal(pipelineError([{ $out: 'system.x' }], [], { storage }).code, 17385);
    assert.equal(
      pipelineError([{ $out: { db: 'admin', coll: 'x' } }], [], { storage }).code,
      31321,
    );
  });
});

describe('$merge', () => {
  function target(): string[] {
    return show(collectionDocuments(storage, 'merged'));
  }

  test('default merge/insert, then replace, keepExisting and a pipeline with $$new', () => {
    run([{ $project: { qty: int(1) } }, { $merge: 'merged' }]);
    assert.deepEqual(target(), [
      '{_id: int:1, qty: int:2}',
      '{_id: int:2, qty: int:1}',
      '{_id: int:3, qty: int:5}',
    ]);
    run([
      { $match: { _id: int(1) } },
      { $project: { item: int(1) } },
      { $merge: { into: 'merged', whenMatched: 'merge' } },
    ]);
    run([
      { $match: { _id: int(2) } },
      { $project: { note: 'replaced' } },
      { $merge: { into: 'merged', whenMatched: 'replace' } },
    ]);
    run([
      { $match: { _id: int(3) } },
      { $project: { qty: int(0) } },
      { $merge: { into: 'merged', whenMatched: 'keepExisting' } },
    ]);
    run([
      { $match: { _id: int(1) } },
      {
        $merge: {
          into: 'merged',
          whenMatched: [{ $set: { doubled: { $multiply: ['$$new.qty', int(2)] } } }],
        },
      },
    ]);
    assert.deepEqual(target(), [
      '{_id: int:1, qty: int:2, item: string:a, doubled: int:4}',
      '{_id: int:2, note: string:replaced}',
      '{_id: int:3, qty: int:5}',
    ]);
  });

  test('whenMatched fail is a duplicate key error; whenNotMatched fail is 13113; discard skips', () => {
    assert.equal(error([{ $merge: { into: 'merged', whenMatched: 'fail' } }]), 11000);
    assert.equal(
      error([
        { $set: { _id: int(42) } },
        { $limit: int(1) },
        { $merge: { into: 'merged', whenNotMatched: 'fail' } },
      ]),
      13113,
    );
    run([
      { $set: { _id: int(43) } },
      { $limit: int(1) },
      { $merge: { into: 'merged', whenNotMatched: 'discard' } },
    ]);
    assert.equal(target().length, 3);
  });

  test('merging into the collection being read does not read its own inserts', () => {
    insertDocuments(storage, 'self', [
      { _id: int(1), v: int(1) },
      { _id: int(2), v: int(2) },
    ]);
    run([{ $project: { _id: int(0), v: int(1) } }, { $merge: 'self' }], 'self');
    assert.equal(collectionDocuments(storage, 'self').length, 4);
  });

  test('parse errors', () => {
    const codes: [BsonValue, number][] = [
      [int(1), 51182],
      [{ into: int(1) }, 51178],
      [{ into: 'merged', on: 'qty' }, 51183],
      [{ into: 'merged', on: [] }, 51187],
      [{ into: 'merged', whenMatched: 'keepExisting', whenNotMatched: 'fail' }, 51181],
      [{ into: 'merged', whenMatched: 'replace', let: {} }, 51199],
      [{ into: 'merged', whenMatched: 'nope' }, 2],
      [{ into: 'merged', extra: int(1) }, 40415],
      [{ into: 'merged', whenMatched: [{ $group: { _id: null } }] }, 72],
    ];
    for (const [spec, code] of codes)
      assert.equal(error([{ $merge: spec }]), code, JSON.stringify(spec));
  });
});

describe('$facet', () => {
  const docs = Array.from({ length: 30 }, (_, i) => ({ _id: int(i), even: i % 2 === 0 }));
  test('every pipeline sees the whole input; small buffers give the same result', () => {
    const pipeline = [
      {
        $facet: {
          n: [{ $count: 'n' }],
          evens: [{ $match: { even: true } }, { $count: 'n' }],
          first: [{ $limit: int(1) }],
        },
      },
    ];
    const expected = [
      '{n: [{n: int:30}], evens: [{n: int:15}], first: [{_id: int:0, even: bool:true}]}',
    ];
    assert.deepEqual(show(runPipeline(pipeline, docs)), expected);
    assert.deepEqual(
      show(runPipeline(pipeline, docs, { limits: { facetBufferBytes: 50 } })),
      expected,
    );
  });

  test('the output document is bounded (4031700) and specs are checked', () => {
    assert.equal(
      pipelineError([{ $facet: { all: [{ $match: {} }] } }], docs, {
        limits: { facetOutputBytes: 100 },
      }).code,
      4031700,
    );
    assert.equal(pipelineError([{ $facet: {} }]).code, 40169);
    assert.equal(pipelineError([{ $facet: { a: int(1) } }]).code, 40170);
    assert.equal(pipelineError([{ $facet: { a: [int(1)] } }]).code, 40171);
    assert.equal(pipelineError([{ $facet: { a: [] } }]).code, 2);
    assert.equal(pipelineError([{ $facet: { a: [{ $collStats: {} }] } }]).code, 40600);
  });
});
