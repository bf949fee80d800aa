/**
 * The aggregate command through the official driver against a real shoald: cursors and
 * getMore, stages across collections, spilling with allowDiskUse (temporary files under
 * dbPath/_tmp, deleted when the cursor closes), explain, and MongoDB's error codes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import { MongoClient, MongoServerError } from 'mongodb';
import type { Db, Document } from 'mongodb';
import { startServer } from '../helpers/server-process.js';
import type { ServerProcess } from '../helpers/server-process.js';

function tmpFiles(server: ServerProcess): string[] {
  try {
    return readdirSync(join(server.dbPath, '_tmp'));
  } catch {
    return [];
  }
}

async function serverError(promise: Promise<unknown>): Promise<MongoServerError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof MongoServerError) return error;
    throw error;
  }
  throw new Error('expected a server error');
}

interface Sale {
  _id: number;
  store: string;
  item: string;
  qty: number;
}

const sales: Sale[] = Array.from({ length: 250 }, (_, i) => ({
  _id: i,
  store: `s${i % 5}`,
  item: `i${i % 7}`,
  qty: i % 11,
}));
const prices = new Map(Array.from({ length: 7 }, (_, i) => [`i${i}`, i + 1]));

describe('aggregate', () => {
  let server: ServerProcess;
  let client: MongoClient;
  let db: Db;

  before(async () => {
    server = await startServer();
    client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 5000 });
    await client.connect();
    db = client.db('agg');
    await db.collection<Sale>('sales').insertMany(sales);
    await db
      .collection<{ _id: string; price: number }>('items')
      .insertMany([...prices].map(([_id, price]) => ({ _id, price })));
  });

  after(async () => {
    await client.close();
    await server.stop();
    server.cleanup();
  });

  test('reply shape: {cursor: {firstBatch, id, ns}, ok}, and getMore continues the cursor', async () => {
    const reply = await db.command({
      aggregate: 'sales',
      pipeline: [{ $match: { qty: { $gt: 5 } } }],
      cursor: { batchSize: 10 },
    });
    assert.equal(reply.ok, 1);
    assert.equal(reply.cursor.ns, 'agg.sales');
    assert.equal(reply.cursor.firstBatch.length, 10);
    assert.notEqual(Number(reply.cursor.id), 0);
    const matching = sales.filter((sale) => sale.qty > 5);
    const more = await db.command({
      getMore: reply.cursor.id,
      collection: 'sales',
      batchSize: 1000,
    });
    assert.equal(more.cursor.nextBatch.length, matching.length - 10);
    assert.equal(Number(more.cursor.id), 0);
    const all = await db
      .collection('sales')
      .aggregate([{ $match: { qty: { $gt: 5 } } }], { batchSize: 7 })
      .toArray();
    assert.deepEqual(all, matching);
  });

  test('batchSize 0 opens a cursor without running the pipeline', async () => {
    const reply = await db.command({ aggregate: 'sales', pipeline: [], cursor: { batchSize: 0 } });
    assert.deepEqual(reply.cursor.firstBatch, []);
    assert.notEqual(Number(reply.cursor.id), 0);
    const more = await db.command({ getMore: reply.cursor.id, collection: 'sales' });
    assert.equal(more.cursor.nextBatch.length, 250);
  });

  test('group, sort and lookup across collections', async () => {
    const out = await db
      .collection('sales')
      .aggregate([
        { $group: { _id: '$item', qty: { $sum: '$qty' } } },
        { $lookup: { from: 'items', localField: '_id', foreignField: '_id', as: 'item' } },
        { $set: { revenue: { $multiply: ['$qty', { $first: '$item.price' }] } } },
        { $sort: { revenue: -1 } },
        { $limit: 2 },
        { $project: { item: 0 } },
      ])
      .toArray();
    const totals = new Map<string, number>();
    for (const sale of sales) totals.set(sale.item, (totals.get(sale.item) ?? 0) + sale.qty);
    const expected = [...totals]
      .map(([_id, qty]) => ({ _id, qty, revenue: qty * (prices.get(_id) as number) }))
      .sort((a, b) => b.revenue - a.revenue)
      .slice(0, 2);
    assert.deepEqual(out, expected);
  });

  test('countDocuments ($match, $skip, $limit, $group) and {aggregate: 1} with $documents', async () => {
    assert.equal(await db.collection('sales').countDocuments({ store: 's1' }), 50);
    assert.equal(
      await db.collection('sales').countDocuments({ store: 's1' }, { skip: 45, limit: 10 }),
      5,
    );
    assert.equal(await db.collection('none').countDocuments(), 0);
    const docs = await db
      .aggregate([{ $documents: [{ a: 1 }, { a: 2 }] }, { $set: { b: { $add: ['$a', 1] } } }], {
        batchSize: 1,
      })
      .toArray();
    assert.deepEqual(docs, [
      { a: 1, b: 2 },
      { a: 2, b: 3 },
    ]);
    const reply = await db.command({ aggregate: 1, pipeline: [{ $documents: [{}] }], cursor: {} });
    assert.equal(reply.cursor.ns, 'agg.$cmd.aggregate');
  });

  test('$out replaces a collection; $merge upserts into another database', async () => {
    await db
      .collection('sales')
      .aggregate([{ $match: { store: 's0' } }, { $project: { qty: 1 } }, { $out: 'out' }])
      .toArray();
    assert.equal(await db.collection('out').countDocuments(), 50);
    await db
      .collection('sales')
      .aggregate([
        { $group: { _id: '$store', n: { $sum: 1 } } },
        { $merge: { into: { db: 'other', coll: 'totals' } } },
      ])
      .toArray();
    const totals = await client.db('other').collection('totals').find().sort({ _id: 1 }).toArray();
    assert.deepEqual(
      totals,
      ['s0', 's1', 's2', 's3', 's4'].map((_id) => ({ _id, n: 50 })),
    );
  });

  test('explain shows the find plan as $cursor, then the other stages', async () => {
    const explain: Document = await db.command({
      aggregate: 'sales',
      pipeline: [{ $match: { store: 's1' } }, { $group: { _id: '$item' } }],
      explain: true,
    });
    assert.equal(explain.explainVersion, '1');
    const cursor = explain.stages[0].$cursor.queryPlanner;
    assert.equal(cursor.namespace, 'agg.sales');
    assert.deepEqual(cursor.parsedQuery, { store: 's1' });
    assert.equal(cursor.winningPlan.stage, 'COLLSCAN');
    assert.deepEqual(Object.keys(explain.stages[1]), ['$group']);
    const viaCommand: Document = await db.command({
      explain: { aggregate: 'sales', pipeline: [{ $match: { _id: 3 } }], cursor: {} },
    });
    assert.match(JSON.stringify(viaCommand.queryPlanner.winningPlan), /IDHACK/);
  });

  test('an index serves a leading $match and $sort', async () => {
    await db.collection('sales').createIndex({ qty: 1 });
    const explain: Document = await db.command({
      aggregate: 'sales',
      pipeline: [
        { $match: { qty: { $gte: 9 } } },
        { $sort: { qty: 1 } },
        { $group: { _id: '$qty', n: { $sum: 1 } } },
      ],
      explain: true,
    });
    const plan = JSON.stringify(explain.stages[0].$cursor.queryPlanner.winningPlan);
    assert.match(plan, /IXSCAN/);
    assert.doesNotMatch(plan, /"SORT"/);
    const out = await db
      .collection('sales')
      .aggregate([
        { $match: { qty: { $gte: 9 } } },
        { $sort: { qty: 1 } },
        { $group: { _id: '$qty', n: { $sum: 1 } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    const count = (qty: number): number => sales.filter((sale) => sale.qty === qty).length;
    assert.deepEqual(out, [
      { _id: 9, n: count(9) },
      { _id: 10, n: count(10) },
    ]);
  });

  test('allowDiskUse spills $sort and $group to dbPath/_tmp and removes the files', async () => {
    const admin = client.db('admin');
    await admin.command({ setParameter: 1, internalQueryMaxBlockingSortMemoryUsageBytes: 2000 });
    await admin.command({ setParameter: 1, internalDocumentSourceGroupMaxMemoryBytes: 2000 });
    try {
      const pipeline = [
        { $sort: { item: 1, _id: -1 } },
        { $group: { _id: '$_id', store: { $first: '$store' } } },
        { $sort: { _id: 1 } },
      ];
      const noDisk = await serverError(
        db.collection('sales').aggregate(pipeline, { allowDiskUse: false }).toArray(),
      );
      assert.equal(noDisk.code, 292);
      assert.equal(noDisk.codeName, 'QueryExceededMemoryLimitNoDiskUseAllowed');
      const cursor = db
        .collection('sales')
        .aggregate(pipeline, { allowDiskUse: true, batchSize: 5 });
      const first = await cursor.next();
      assert.deepEqual(first, { _id: 0, store: 's0' });
      assert.ok(tmpFiles(server).length > 0, 'sorted runs on disk while the cursor is open');
      const rest = await cursor.toArray();
      assert.equal(rest.length, 249);
      assert.deepEqual(tmpFiles(server), []);
      // A killed cursor removes its files too.
      const killed = db
        .collection('sales')
        .aggregate(pipeline, { allowDiskUse: true, batchSize: 5 });
      await killed.next();
      await killed.close();
      assert.deepEqual(tmpFiles(server), []);
    } finally {
      await admin.command({
        setParameter: 1,
        internalQueryMaxBlockingSortMemoryUsageBytes: 100 * 1024 * 1024,
      });
      await admin.command({
        setParameter: 1,
        internalDocumentSourceGroupMaxMemoryBytes: 100 * 1024 * 1024,
      });
    }
  });

  test("MongoDB's errors", async () => {
    const cases: [Document, number, string?][] = [
      [
        { aggregate: 'sales', pipeline: [] },
        9,
        "The 'cursor' option is required, except for aggregate with the explain argument",
      ],
      [
        { aggregate: 'sales', pipeline: [{ $foo: 1 }], cursor: {} },
        40324,
        "Unrecognized pipeline stage name: '$foo'",
      ],
      [{ aggregate: 'sales', pipeline: [{ $out: 'x' }, { $match: {} }], cursor: {} }, 40601],
      [{ aggregate: 'sales', pipeline: {}, cursor: {} }, 14],
      [{ aggregate: 'sales', cursor: {} }, 40414],
      [{ aggregate: 'sales', pipeline: [], cursor: {}, bogus: 1 }, 40415],
      [{ aggregate: 2, pipeline: [], cursor: {} }, 9],
      [{ aggregate: 1, pipeline: [{ $match: {} }], cursor: {} }, 73],
      [{ aggregate: 'sales', pipeline: [], cursor: {}, collation: { locale: 'fr' } }, 238],
      [{ aggregate: 'sales', pipeline: [{ $project: { x: { $divide: [1, 0] } } }], cursor: {} }, 2],
    ];
    for (const [command, code, message] of cases) {
      const error = await serverError(db.command(command));
      assert.equal(error.code, code, JSON.stringify(command));
      if (message !== undefined) assert.equal(error.message, message);
    }
  });
});
