/**
 * The database profiler and the slow-query log through the official driver. Expected
 * shapes follow MongoDB 7.0's docs ("Database Profiler Output", "profile") and the server's
 * jstests (jstests/core/administrative/profile/profile_*.js, noPassthrough/profile_filter.js).
 * slowms and sampleRate are global, so each test restores what it changes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MongoClient, MongoServerError } from 'mongodb';
import type { Db, Document } from 'mongodb';
import { startServer } from '../helpers/server-process.js';
import type { ServerProcess } from '../helpers/server-process.js';

const appName = 'profiler-test';

async function latest(db: Db, filter: Document): Promise<Document> {
  const [entry] = await db
    .collection('system.profile')
    .find(filter)
    .sort({ $natural: -1 })
    .limit(1)
    .toArray();
  assert.ok(entry !== undefined, `no profile entry matches ${JSON.stringify(filter)}`);
  return entry;
}

function rejectsWith(code: number, codeName: string) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof MongoServerError);
    assert.equal(error.code, code);
    assert.equal(error.codeName, codeName);
    return true;
  };
}

/** Counted with the count command: this branch has no aggregate (countDocuments). */
async function profiled(db: Db, filter: Document): Promise<number> {
  return ((await db.command({ count: 'system.profile', query: filter })) as { n: number }).n;
}

async function slowQueryLines(client: MongoClient): Promise<Document[]> {
  const { log } = await client.db('admin').command({ getLog: 'global' });
  return (log as string[])
    .map((line) => JSON.parse(line) as Document)
    .filter((line) => line.id === 51803);
}

describe('database profiler', () => {
  let server: ServerProcess;
  let client: MongoClient;

  before(async () => {
    server = await startServer({ inMemory: true });
    client = new MongoClient(server.uri, { appName, serverSelectionTimeoutMS: 5000 });
    await client.connect();
  });

  after(async () => {
    await client.close();
    await server.stop();
    server.cleanup();
  });

  test('profile: -1 reads the settings and changes nothing', async () => {
    const db = client.db('prof_read');
    const reply = await db.command({ profile: -1 });
    assert.deepEqual(Object.keys(reply), ['was', 'slowms', 'sampleRate', 'ok']);
    assert.deepEqual(reply, { was: 0, slowms: 100, sampleRate: 1, ok: 1 });
    assert.equal(await db.profilingLevel(), 'off');
    // Any level outside 0..2 only reads (profile_common.cpp).
    assert.equal((await db.command({ profile: 5 })).was, 0);
    assert.equal(await db.profilingLevel(), 'off');
    assert.deepEqual(await db.listCollections().toArray(), []);
  });

  test('level 2 records find, getMore, writes and commands with their statistics', async () => {
    const db = client.db('prof_crud');
    const coll = db.collection('c');
    await coll.insertMany(Array.from({ length: 10 }, (_, a) => ({ a })));
    await coll.createIndex({ a: 1 });
    assert.deepEqual(await db.command({ profile: 2 }), {
      was: 0,
      slowms: 100,
      sampleRate: 1,
      ok: 1,
    });
    assert.equal(await db.profilingLevel(), 'all');

    assert.equal((await coll.find({ a: { $gte: 5 } }).toArray()).length, 5);
    const find = await latest(db, { op: 'query', ns: 'prof_crud.c' });
    assert.deepEqual(find.command.filter, { a: { $gte: 5 } });
    assert.equal(find.command.$db, 'prof_crud');
    assert.equal(find.planSummary, 'IXSCAN { a: 1 }');
    assert.equal(find.keysExamined, 5);
    assert.equal(find.docsExamined, 5);
    assert.equal(find.nreturned, 5);
    assert.equal(find.cursorExhausted, true);
    assert.equal(find.cursorid, undefined);
    assert.equal(find.protocol, 'op_msg');
    assert.equal(typeof find.responseLength, 'number');
    assert.equal(typeof find.millis, 'number');
    assert.equal(typeof find.numYield, 'number');
    assert.ok(find.ts instanceof Date);
    assert.equal(find.client, '127.0.0.1');
    assert.equal(find.appName, appName);
    assert.deepEqual(find.allUsers, []);
    assert.equal(find.user, '');
    assert.deepEqual(find.locks, {});
    assert.equal(find._id, undefined);

    const cursor = coll.find({}).sort({ a: 1 }).batchSize(2);
    await cursor.next();
    await cursor.next();
    await cursor.next(); // the getMore
    const opened = await latest(db, { op: 'query', 'command.batchSize': 2 });
    const getMore = await latest(db, { op: 'getmore' });
    await cursor.close();
    assert.equal(getMore.ns, 'prof_crud.c');
    assert.equal(String(getMore.cursorid), String(opened.cursorid));
    assert.equal(String(getMore.command.getMore), String(opened.cursorid));
    assert.equal(getMore.command.collection, 'c');
    assert.deepEqual(getMore.originatingCommand.sort, { a: 1 });
    assert.equal(getMore.nreturned, 2);
    assert.equal(getMore.keysExamined, 2);
    assert.equal(getMore.docsExamined, 2);
    assert.equal(getMore.planSummary, 'IXSCAN { a: 1 }');
    assert.equal(getMore.cursorExhausted, undefined);

    await coll.updateMany({ a: { $gte: 8 } }, { $set: { b: 1 } });
    const update = await latest(db, { op: 'update' });
    assert.equal(update.ns, 'prof_crud.c');
    assert.deepEqual(update.command, {
      q: { a: { $gte: 8 } },
      u: { $set: { b: 1 } },
      multi: true,
      upsert: false,
    });
    assert.equal(update.nMatched, 2);
    assert.equal(update.nModified, 2);
    assert.equal(update.keysExamined, 2);
    assert.equal(update.planSummary, 'IXSCAN { a: 1 }');
    assert.equal(update.protocol, undefined);

    await coll.deleteOne({ a: 1 });
    const remove = await latest(db, { op: 'remove' });
    assert.deepEqual(remove.command, { q: { a: 1 }, limit: 1 });
    assert.equal(remove.ndeleted, 1);

    await coll.insertOne({ a: 42 });
    const insert = await latest(db, { op: 'insert' });
    assert.equal(insert.ninserted, 1);
    assert.equal(insert.command.insert, 'c');
    assert.equal(insert.command.ordered, true);

    await db.command({ count: 'c', query: { a: { $lt: 3 } } });
    const count = await latest(db, { 'command.count': 'c' });
    assert.equal(count.op, 'command');
    assert.equal(count.planSummary, 'IXSCAN { a: 1 }');
    assert.equal(count.docsExamined, 2);

    await coll.findOneAndUpdate({ a: 2 }, { $inc: { b: 1 } });
    const findAndModify = await latest(db, { 'command.findAndModify': 'c' });
    assert.equal(findAndModify.op, 'command');
    assert.equal(findAndModify.nMatched, 1);
    assert.equal(findAndModify.nModified, 1);

    // The update and delete commands are profiled through their statements only; profile
    // and listCollections are never profiled (profile1.js, profile_list_collections.js).
    assert.equal(await profiled(db, { 'command.update': 'c' }), 0);
    assert.equal(await profiled(db, { 'command.delete': 'c' }), 0);
    await db.command({ profile: -1 });
    await db.listCollections().toArray();
    assert.equal(await profiled(db, { 'command.profile': { $exists: true } }), 0);
    assert.equal(await profiled(db, { 'command.listCollections': { $exists: true } }), 0);
    assert.deepEqual((await db.command({ profile: 0 })).was, 2);
  });

  test('system.profile looks like a 1 MiB capped collection without an _id index', async () => {
    const db = client.db('prof_crud');
    const [info] = await db.listCollections({ name: 'system.profile' }).toArray();
    assert.deepEqual((info as Document | undefined)?.options, { capped: true, size: 1048576 });
    assert.deepEqual(await db.collection('system.profile').listIndexes().toArray(), []);
  });

  test('level 1 follows slowms: -1 selects every operation, a large value none', async () => {
    const db = client.db('prof_slow');
    const coll = db.collection('c');
    await coll.insertOne({ a: 1 });
    try {
      await db.command({ profile: 1, slowms: -1 });
      await coll.find({}).comment('kept').toArray();
      assert.equal((await latest(db, { 'command.comment': 'kept' })).op, 'query');
      const reply = await db.command({ profile: 1, slowms: 100_000 });
      assert.equal(reply.slowms, -1);
      await coll.find({}).comment('dropped').toArray();
      assert.equal(await profiled(db, { 'command.comment': 'dropped' }), 0);
      await db.command({ profile: 1, slowms: -1, sampleRate: 0 });
      await coll.find({}).comment('unsampled').toArray();
      assert.equal(await profiled(db, { 'command.comment': 'unsampled' }), 0);
    } finally {
      await db.command({ profile: 0, slowms: 100, sampleRate: 1 });
    }
  });

  test('operations slower than slowms are logged as "Slow query" at any level', async () => {
    const db = client.db('prof_log');
    const coll = db.collection('c');
    await coll.insertMany([{ a: 1 }, { a: 2 }]);
    try {
      await db.command({ profile: 0, slowms: -1 });
      await coll.find({ a: 2 }).comment('slow-log-probe').toArray();
      await coll.updateOne({ a: 1 }, { $set: { logged: true } });
    } finally {
      await db.command({ profile: 0, slowms: 100 });
    }
    const { log } = await client.db('admin').command({ getLog: 'global' });
    const changes = (log as string[])
      .map((line) => JSON.parse(line) as Document)
      .filter((line) => line.id === 48742 && line.attr.to.slowms === -1);
    assert.deepEqual(changes.at(-1)?.attr, {
      from: { level: 0, slowms: 100, sampleRate: 1 },
      to: { level: 0, slowms: -1, sampleRate: 1 },
    });
    const lines = await slowQueryLines(client);
    const find = lines.find((line) => line.attr.command?.comment === 'slow-log-probe');
    assert.ok(find !== undefined, 'no slow-query line for the find');
    assert.equal(find.c, 'COMMAND');
    assert.equal(find.msg, 'Slow query');
    assert.equal(find.attr.type, 'command');
    assert.equal(find.attr.ns, 'prof_log.c');
    assert.equal(find.attr.appName, appName);
    assert.equal(find.attr.planSummary, 'COLLSCAN');
    assert.equal(find.attr.docsExamined, 2);
    assert.equal(find.attr.nreturned, 1);
    assert.equal(find.attr.protocol, 'op_msg');
    assert.equal(typeof find.attr.durationMillis, 'number');
    assert.equal(typeof find.attr.reslen, 'number');
    assert.match(find.attr.remote, /^127\.0\.0\.1:\d+$/);
    // An update statement is logged on its own (type "update", component WRITE), and so is
    // the update command around it.
    const statement = lines.find((line) => line.attr.command?.u?.$set?.logged === true);
    assert.equal(statement?.c, 'WRITE');
    assert.equal(statement?.attr.type, 'update');
    assert.equal(statement?.attr.nMatched, 1);
    assert.ok(
      lines.some((line) => line.attr.command?.update === 'c' && line.attr.type === 'command'),
    );
    assert.equal(await profiled(db, {}), 0, 'level 0 profiles nothing');
  });

  test('a filter replaces slowms and sampleRate and is reported back', async () => {
    const db = client.db('prof_filter');
    const coll = db.collection('c');
    await coll.insertOne({ a: 1 });
    const filter = { op: 'query', 'command.comment': 'keep' };
    try {
      const set = await db.command({ profile: 1, filter, slowms: 100_000 });
      assert.equal(set.filter, undefined);
      assert.match(set.note, /filter expression is set/);
      const read = await db.command({ profile: -1 });
      assert.deepEqual(read.filter, {
        $and: [{ op: { $eq: 'query' } }, { 'command.comment': { $eq: 'keep' } }],
      });
      await coll.find({}).comment('keep').toArray();
      await coll.find({}).comment('drop').toArray();
      assert.equal(await profiled(db, { 'command.comment': 'keep' }), 1);
      assert.equal(await profiled(db, { 'command.comment': 'drop' }), 0);
      await assert.rejects(
        db.command({ profile: 1, filter: { no_such_field: 23 } }),
        rejectsWith(4910200, 'Location4910200'),
      );
      await assert.rejects(db.command({ profile: 1, filter: null }), rejectsWith(2, 'BadValue'));
      await db.command({ profile: 0, filter: 'unset' });
      const unset = await db.command({ profile: -1 });
      assert.deepEqual(Object.keys(unset), ['was', 'slowms', 'sampleRate', 'ok']);
    } finally {
      await db.command({ profile: 0, filter: 'unset', slowms: 100 });
    }
  });

  test('failed commands are profiled with ok 0 and the error; bad arguments are refused', async () => {
    const db = client.db('prof_errors');
    await db.command({ profile: 2 });
    try {
      await assert.rejects(
        db.collection('c').find({ $foo: 1 }).toArray(),
        rejectsWith(2, 'BadValue'),
      );
      const failed = await latest(db, { op: 'query' });
      assert.equal(failed.ok, 0);
      assert.equal(failed.errCode, 2);
      assert.equal(failed.errName, 'BadValue');
      assert.match(failed.errMsg, /\$foo/);
      await assert.rejects(db.command({ profile: 1, sampleRate: 2 }), rejectsWith(2, 'BadValue'));
      await assert.rejects(
        db.command({ profile: 1, unknown: {} }),
        rejectsWith(40415, 'UnrecognizedCommandField'),
      );
      await assert.rejects(db.command({ profile: 'all' }), rejectsWith(14, 'TypeMismatch'));
    } finally {
      await db.command({ profile: 0 });
    }
  });

  test('dropDatabase forgets the level and leaves no system.profile behind', async () => {
    const db = client.db('prof_drop');
    await db.collection('c').insertOne({ a: 1 });
    await db.command({ profile: 2 });
    await db.dropDatabase();
    assert.deepEqual(await db.listCollections().toArray(), []);
    assert.equal((await db.command({ profile: -1 })).was, 0);
  });

  test('numYield counts the times a long scan yielded', async () => {
    const db = client.db('prof_yield');
    const coll = db.collection('c');
    await coll.insertMany(Array.from({ length: 2500 }, (_, i) => ({ i })));
    await db.command({ profile: 2 });
    try {
      await db.command({ count: 'c', query: { i: { $gte: 0 } } });
      const count = await latest(db, { 'command.count': 'c' });
      assert.equal(count.docsExamined, 2500);
      // A collection scan yields every 1000 documents (internalQueryExecYieldIterations).
      assert.ok(count.numYield >= 2, `numYield ${count.numYield}`);
    } finally {
      await db.command({ profile: 0 });
    }
  });
});

describe('profiling options on the command line', () => {
  test('--profile 2 --slowms 7 apply to every database', async () => {
    const server = await startServer({ inMemory: true, args: ['--profile', '2', '--slowms', '7'] });
    const client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 5000 });
    try {
      await client.connect();
      const db = client.db('cli_profile');
      assert.deepEqual(await db.command({ profile: -1 }), {
        was: 2,
        slowms: 7,
        sampleRate: 1,
        ok: 1,
      });
      await db.collection('c').insertOne({ x: 1 });
      assert.equal((await latest(db, { op: 'insert' })).ninserted, 1);
      const options = await client.db('admin').command({ getCmdLineOpts: 1 });
      assert.deepEqual(options.parsed.operationProfiling, { mode: 'all', slowOpThresholdMs: 7 });
    } finally {
      await client.close();
      await server.stop();
      server.cleanup();
    }
  });
});
