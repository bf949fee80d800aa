/**
 * Index builds that do not freeze the server: while createIndexes indexes 60,000 existing
 * documents, other clients' pings and writes are answered, the half-built index is neither
 * planned nor hintable, and the finished index agrees with a collection scan whatever the
 * writers did meanwhile. A build ends cleanly when its collection is dropped or its
 * operation killed, and a restart drops a build that SIGKILL interrupted.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MongoClient, MongoServerError } from 'mongodb';
import type { Collection, Db } from 'mongodb';
import { startServer, temporaryDirectory } from '../helpers/server-process.js';
import type { ServerProcess } from '../helpers/server-process.js';
import { SeededRandom } from '../../src/platform/random.js';

interface Row {
  _id: number;
  a: number | number[];
  pad: string;
}

const documentsCount = 60_000;
const valuesCount = 500;

async function load(rows: Collection<Row>): Promise<void> {
  for (let start = 0; start < documentsCount; start += 10_000) {
    await rows.insertMany(
      Array.from({ length: 10_000 }, (_, i) => ({
        _id: start + i,
        a: (start + i) % valuesCount,
        pad: 'x'.repeat(40),
      })),
    );
  }
}

/** Resolves once $indexStats reports the index as still being built. */
async function untilBuilding<T extends Row>(rows: Collection<T>, name: string): Promise<void> {
  for (;;) {
    const stats = await rows.aggregate([{ $indexStats: {} }, { $match: { name } }]).toArray();
    if (stats[0]?.building === true) return;
    assert.ok(stats[0] === undefined, `${name} finished before the test saw it building`);
  }
}

/** What the promise rejected with, or undefined when it fulfilled. */
function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
}

async function rejection(promise: Promise<unknown>): Promise<MongoServerError> {
  const error = await failure(promise);
  assert.ok(error instanceof MongoServerError, `expected a server error, got ${String(error)}`);
  return error;
}

describe('online index builds', () => {
  let server: ServerProcess;
  let builder: MongoClient;
  let other: MongoClient;
  let db: Db;

  before(async () => {
    server = await startServer({ inMemory: true });
    builder = new MongoClient(server.uri);
    other = new MongoClient(server.uri);
    db = other.db('online');
  });

  after(async () => {
    await builder.close();
    await other.close();
    await server.stop();
    server.cleanup();
  });

  test('clients go on during a build, and the index matches a scan afterwards', async (t) => {
    const rows = db.collection<Row>('writes');
    await load(rows);
    const build = builder.db('online').collection<Row>('writes').createIndex({ a: 1 });
    await untilBuilding(rows, 'a_1');
    const hinted = await rejection(rows.find({ a: 3 }, { hint: 'a_1' }).toArray());
    assert.equal(hinted.code, 2);
    const plan = await rows.find({ a: 3 }).explain('queryPlanner');
    assert.equal(plan.queryPlanner.winningPlan.stage, 'COLLSCAN');
    let finished = false;
    void build.finally(() => (finished = true));
    const random = new SeededRandom(9);
    const below = (n: number): number => Math.floor(random.next() * n);
    let pings = 0;
    let writes = 0;
    const pinger = async (): Promise<void> => {
      while (!finished) {
        await other.db('admin').command({ ping: 1 });
        if (!finished) pings++;
      }
    };
    // Inserts past the builder, updates on both sides of it (arrays make it multikey),
    // and deletes, all while the index is half built.
    const writer = async (): Promise<void> => {
      for (let next = documentsCount; !finished; next++, writes++) {
        await rows.insertOne({ _id: next, a: below(valuesCount), pad: 'new' });
        await rows.updateOne({ _id: below(next) }, { $set: { a: [below(valuesCount), -1] } });
        await rows.deleteOne({ _id: below(next) });
      }
    };
    await Promise.all([pinger(), writer()]);
    assert.equal(await build, 'a_1');
    t.diagnostic(`${pings} pings and ${writes} rounds of writes during the build`);
    assert.ok(pings >= 5, `only ${pings} pings were answered during the build`);
    assert.ok(writes >= 5, `only ${writes} rounds of writes ran during the build`);
    // One collection scan gives what each {a: value} must return (array elements match).
    const expected = new Map<number, number[]>();
    for (const row of await rows.find({}, { hint: { $natural: 1 }, sort: { _id: 1 } }).toArray()) {
      for (const value of new Set(Array.isArray(row.a) ? row.a : [row.a]))
        expected.set(value, [...(expected.get(value) ?? []), row._id]);
    }
    for (let value = -1; value < valuesCount; value++) {
      const viaIndex = await rows.find({ a: value }, { hint: 'a_1', sort: { _id: 1 } }).toArray();
      assert.deepEqual(
        viaIndex.map((row) => row._id),
        expected.get(value) ?? [],
        `a: ${value} after ${writes} rounds of writes`,
      );
    }
    const explained = await rows.find({ a: 3 }).explain();
    assert.equal(explained.queryPlanner.winningPlan.inputStage.stage, 'IXSCAN');
  });

  test('a unique build under writes: unique at the end, or the build or the write fails', async () => {
    const rows = db.collection<Row & { u: number }>('unique');
    for (let start = 0; start < documentsCount; start += 10_000) {
      await rows.insertMany(
        Array.from({ length: 10_000 }, (_, i) => ({
          _id: start + i,
          a: 0,
          u: (start + i) * 2,
          pad: '',
        })),
      );
    }
    const build = failure(
      builder.db('online').collection('unique').createIndex({ u: 1 }, { unique: true }),
    );
    await untilBuilding(rows, 'u_1');
    let finished = false;
    void build.finally(() => (finished = true));
    const random = new SeededRandom(11);
    const below = (n: number): number => Math.floor(random.next() * n);
    // Fresh odd values keep the data unique while documents move, appear and disappear.
    for (let next = documentsCount, fresh = 1; !finished; next++, fresh += 4) {
      await rows.insertOne({ _id: next, a: 0, u: fresh, pad: '' });
      await rows.updateOne({ _id: below(next) }, { $set: { u: fresh + 2 } });
      await rows.deleteOne({ _id: below(next) });
    }
    assert.equal(await build, undefined, 'a build over unique data succeeds');
    const all = await rows.find({}, { hint: { $natural: 1 } }).toArray();
    for (const row of all.filter((_, i) => i % 97 === 0)) {
      const found = await rows.find({ u: row.u }, { hint: 'u_1' }).toArray();
      assert.deepEqual(found, [row]);
    }
    assert.equal(await rows.countDocuments({ u: { $gte: 0 } }, { hint: 'u_1' }), all.length);

    // A duplicate raced against a new build: exactly one of the two is refused with 11000.
    await rows.dropIndex('u_1');
    const again = failure(
      builder.db('online').collection('unique').createIndex({ u: 1 }, { unique: true }),
    );
    await untilBuilding(rows, 'u_1');
    const duplicate = await failure(
      rows.insertOne({ _id: -1, a: 0, u: (all[all.length - 1] as { u: number }).u, pad: '' }),
    );
    const buildError = await again;
    const refused = [duplicate, buildError].filter((error) => error !== undefined);
    assert.equal(
      refused.length,
      1,
      `exactly one refusal: ${refused.map((error) => (error as Error).message).join('; ')}`,
    );
    assert.equal((refused[0] as MongoServerError).code, 11000);
  });

  test('removing a duplicate the unique build has not reached keeps the first holder', async () => {
    const rows = db.collection<Row & { u: number }>('holder');
    await rows.insertMany(
      Array.from({ length: documentsCount }, (_, i) => ({ _id: i, a: 0, u: i, pad: '' })),
    );
    // The last document repeats the first one's value; the build reaches the first early.
    await rows.insertOne({ _id: documentsCount, a: 0, u: 0, pad: '' });
    const build = builder.db('online').collection('holder').createIndex({ u: 1 }, { unique: true });
    await untilBuilding(rows, 'u_1');
    await rows.deleteOne({ _id: documentsCount });
    assert.equal(await build, 'u_1');
    assert.deepEqual(await rows.find({ u: 0 }, { hint: 'u_1' }).toArray(), [
      { _id: 0, a: 0, u: 0, pad: '' },
    ]);
  });

  test('a second createIndexes waits for the build; renaming waits for it too', async () => {
    const rows = db.collection<Row>('twice');
    await load(rows);
    const first = builder.db('online').collection<Row>('twice').createIndex({ a: 1 });
    await untilBuilding(rows, 'a_1');
    const renamed = await rejection(rows.rename('elsewhere'));
    assert.equal(renamed.code, 12587);
    assert.equal(renamed.codeName, 'BackgroundOperationInProgressForNamespace');
    const modified = await rejection(
      db.command({ collMod: 'twice', index: { name: 'a_1', hidden: true } }),
    );
    assert.equal(modified.codeName, 'IndexNotFound');
    const second = await db.command({
      createIndexes: 'twice',
      indexes: [{ key: { a: 1 }, name: 'a_1' }],
    });
    assert.equal(second.note, 'all indexes already exist');
    const stats = await rows
      .aggregate([{ $indexStats: {} }, { $match: { name: 'a_1' } }])
      .toArray();
    assert.equal(stats[0]?.building, undefined, 'the second reply came before the build ended');
    assert.equal(await first, 'a_1');
    await rows.rename('elsewhere');
  });

  test('plans cached during the build are replanned once the index is ready', async () => {
    const rows = db.collection<Row & { b: number; c: number }>('cached');
    for (let start = 0; start < documentsCount; start += 10_000) {
      await rows.insertMany(
        Array.from({ length: 10_000 }, (_, i) => ({
          _id: start + i,
          a: (start + i) % valuesCount,
          b: (start + i) % 10,
          c: (start + i) % 10,
          pad: '',
        })),
      );
    }
    await rows.createIndexes([{ key: { b: 1 } }, { key: { c: 1 } }]);
    const query = { a: 7, b: 7, c: 7 };
    const build = builder.db('online').collection('cached').createIndex({ a: 1 });
    await untilBuilding(rows, 'a_1');
    // b_1 and c_1 race; run twice, the winner is cached (the first entry is inactive).
    // The cache key lists the candidate indexes, so the finished a_1 makes a new shape.
    for (let run = 0; run < 3; run++) await rows.find(query).toArray();
    assert.equal(await build, 'a_1');
    const plan = await rows.find(query).explain('queryPlanner');
    assert.equal(plan.queryPlanner.winningPlan.inputStage.indexName, 'a_1');
  });

  test('dropping the collection aborts the build with IndexBuildAborted', async () => {
    const rows = db.collection<Row>('dropped');
    await load(rows);
    const build = builder.db('online').collection<Row>('dropped').createIndex({ a: 1 });
    await untilBuilding(rows, 'a_1');
    await rows.drop();
    const error = await rejection(build);
    assert.equal(error.code, 276);
    assert.equal(error.codeName, 'IndexBuildAborted');
    await rows.insertOne({ _id: 1, a: 1, pad: '' });
    assert.deepEqual(
      (await rows.listIndexes().toArray()).map((index) => index.name),
      ['_id_'],
    );
  });

  test('a document the index cannot hold fails the build midway and leaves no index', async () => {
    const rows = db.collection<Row & { b?: number[] }>('parallel');
    await load(rows);
    // Near the end, so several batches are committed before the builder meets it.
    await rows.updateOne({ _id: documentsCount - 10 }, { $set: { a: [1, 2], b: [3, 4] } });
    const error = await rejection(rows.createIndex({ a: 1, b: 1 }));
    assert.equal(error.codeName, 'CannotIndexParallelArrays');
    assert.deepEqual(
      (await rows.listIndexes().toArray()).map((index) => index.name),
      ['_id_'],
    );
    await rows.insertOne({ _id: -1, a: 1, pad: '' });
    assert.equal(await rows.countDocuments(), documentsCount + 1);
  });

  test('dropping the index being built aborts its build', async () => {
    const rows = db.collection<Row>('dropIndex');
    await load(rows);
    const build = builder.db('online').collection<Row>('dropIndex').createIndex({ a: 1 });
    await untilBuilding(rows, 'a_1');
    await rows.dropIndex('a_1');
    assert.equal((await rejection(build)).code, 276);
    assert.deepEqual(
      (await rows.listIndexes().toArray()).map((index) => index.name),
      ['_id_'],
    );
    assert.equal(await rows.createIndex({ a: 1 }), 'a_1');
    assert.equal(await rows.countDocuments({ a: 7 }), documentsCount / valuesCount);
  });

  test('killOp aborts the build and leaves no index', async () => {
    const rows = db.collection<Row>('killed');
    await load(rows);
    const build = builder.db('online').collection<Row>('killed').createIndex({ a: 1 });
    await untilBuilding(rows, 'a_1');
    const { inprog } = await other.db('admin').command({ currentOp: 1 });
    const operation = (inprog as { opid: unknown; command?: { createIndexes?: string } }[]).find(
      (candidate) => candidate.command?.createIndexes === 'killed',
    );
    assert.ok(operation !== undefined, 'the build is in currentOp');
    await other.db('admin').command({ killOp: 1, op: operation.opid });
    const error = await rejection(build);
    assert.equal(error.code, 11601);
    assert.deepEqual(
      (await rows.listIndexes().toArray()).map((index) => index.name),
      ['_id_'],
    );
    assert.equal(await rows.countDocuments({ a: 7 }), documentsCount / valuesCount);
  });
});

test('a restart drops a build that SIGKILL interrupted', async () => {
  const dbPath = temporaryDirectory();
  try {
    let server = await startServer({ dbPath });
    let client = new MongoClient(server.uri);
    const rows = client.db('crash').collection<Row>('rows');
    await load(rows);
    // The kill fails this request; nothing else is expected of it.
    const build = client
      .db('crash')
      .collection<Row>('rows')
      .createIndex({ a: 1 })
      .catch(() => undefined);
    await untilBuilding(rows, 'a_1');
    await server.kill();
    await build;
    await client.close(true);
    server = await startServer({ dbPath });
    client = new MongoClient(server.uri);
    try {
      const restarted = client.db('crash').collection<Row>('rows');
      assert.deepEqual(
        (await restarted.listIndexes().toArray()).map((index) => index.name),
        ['_id_'],
      );
      assert.ok(server.logLines.some((line) => line.includes('dropped an unfinished build')));
      assert.equal(await restarted.countDocuments(), documentsCount);
      assert.equal(await restarted.createIndex({ a: 1 }), 'a_1');
      assert.equal(await restarted.countDocuments({ a: 7 }), documentsCount / valuesCount);
    } finally {
      await client.close();
      await server.stop();
    }
  } finally {
    const { rmSync } = await import('node:fs');
    rmSync(dbPath, { recursive: true, force: true });
  }
});
