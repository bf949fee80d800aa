/**
 * Every find-like command honours `hint` (a bad one fails as in MongoDB), and a sort over
 * parallel arrays fails even for a single document.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MongoClient } from 'mongodb';
import type { Db } from 'mongodb';
import { startServer } from '../helpers/server-process.js';
import type { ServerProcess } from '../helpers/server-process.js';

const badHint = (error: Error & { code?: number }): boolean =>
  error.code === 2 && /hint provided does not correspond to an existing index/.test(error.message);

describe('hints on every command, and sort keys', () => {
  let server: ServerProcess;
  let client: MongoClient;
  let db: Db;

  before(async () => {
    server = await startServer({ inMemory: true });
    client = new MongoClient(server.uri);
    db = client.db('hints');
    await db.collection<{ _id: number; a: number; b: number }>('c').insertMany([
      { _id: 1, a: 1, b: 1 },
      { _id: 2, a: 2, b: 1 },
      { _id: 3, a: 3, b: 2 },
    ]);
    await db.collection('c').createIndex({ a: 1 });
  });

  after(async () => {
    await client.close();
    await server.stop();
    server.cleanup();
  });

  test('count and distinct use a hinted index and refuse an unknown one', async () => {
    assert.equal((await db.command({ count: 'c', query: { b: 1 }, hint: 'a_1' })).n, 2);
    assert.equal((await db.command({ count: 'c', hint: { a: 1 } })).n, 3);
    await assert.rejects(db.command({ count: 'c', query: { b: 1 }, hint: 'nope' }), badHint);
    assert.deepEqual((await db.command({ distinct: 'c', key: 'b', hint: 'a_1' })).values, [1, 2]);
    await assert.rejects(db.command({ distinct: 'c', key: 'b', hint: 'nope' }), badHint);
  });

  test('update, delete and findAndModify statements honour hints', async () => {
    const update = await db.command({
      update: 'c',
      updates: [{ q: { b: 2 }, u: { $set: { x: 1 } }, hint: 'a_1' }],
    });
    assert.equal(update.nModified, 1);
    const badUpdate = await db.command({
      update: 'c',
      updates: [{ q: { b: 2 }, u: { $set: { x: 2 } }, hint: 'nope' }],
    });
    assert.equal(badUpdate.n, 0);
    assert.equal(badUpdate.writeErrors[0].code, 2);
    const badDelete = await db.command({
      delete: 'c',
      deletes: [{ q: { b: 2 }, limit: 1, hint: 'nope' }],
    });
    assert.equal(badDelete.writeErrors[0].code, 2);
    await assert.rejects(
      db.command({ findAndModify: 'c', query: { b: 2 }, update: { $set: { y: 1 } }, hint: 'nope' }),
      badHint,
    );
    const explained = await db.command({
      explain: { delete: 'c', deletes: [{ q: { b: 2 }, limit: 1, hint: 'a_1' }] },
      verbosity: 'queryPlanner',
    });
    assert.equal(
      JSON.stringify(explained.queryPlanner.winningPlan).includes('"indexName":"a_1"'),
      true,
    );
  });

  test('sorting on parallel arrays fails with BadValue even for one document', async () => {
    await db
      .collection<{ _id: number; a: number[]; b: number[] }>('parallel')
      .insertOne({ _id: 1, a: [1], b: [2] });
    await assert.rejects(
      db.collection<{ _id: number }>('parallel').find({ _id: 1 }).sort({ a: 1, b: 1 }).toArray(),
      (error: Error & { code?: number }) => {
        assert.equal(error.code, 2);
        assert.match(error.message, /cannot sort with keys that are parallel arrays/);
        return true;
      },
    );
  });
});
