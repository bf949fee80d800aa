/**
 * Secondary indexes through the official driver against a live shoald: createIndexes,
 * listIndexes and dropIndexes replies and errors, unique, sparse, partial, hidden and TTL
 * indexes, multikey and compound sorts, hints, explain at its three verbosities, covered
 * queries, long keys and collMod. Expected replies follow MongoDB 7.0; the server source
 * file is cited where the manual does not say.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MongoClient, MongoServerError } from 'mongodb';
import type { Db, Document } from 'mongodb';
import { startServer } from '../helpers/server-process.js';
import type { ServerProcess } from '../helpers/server-process.js';

async function rejects(
  promise: Promise<unknown>,
  code: number,
  codeName: string,
  message?: RegExp,
): Promise<MongoServerError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof MongoServerError, `expected ${codeName}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.equal(caught.codeName, codeName);
  if (message !== undefined) assert.match(caught.message, message);
  return caught;
}

describe('indexes through the driver', () => {
  let server: ServerProcess;
  let client: MongoClient;
  let db: Db;

  before(async () => {
    server = await startServer({
      inMemory: true,
      args: ['--setParameter', 'ttlMonitorSleepSecs=1'],
    });
    client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 5000 });
    await client.connect();
    db = client.db('indexes');
  });

  after(async () => {
    await client.close();
    await server.stop();
    server.cleanup();
  });

  describe('createIndexes, listIndexes and dropIndexes', () => {
    test('createIndexes replies for a new collection, a new index and existing ones', async () => {
      const created = await db.command({
        createIndexes: 'ci',
        indexes: [{ key: { a: 1 }, name: 'a_1' }],
      });
      assert.deepEqual(created, {
        numIndexesBefore: 1,
        numIndexesAfter: 2,
        createdCollectionAutomatically: true,
        ok: 1,
      });
      // create_indexes_cmd.cpp indexesAlreadyExist: an early reply, without
      // createdCollectionAutomatically.
      const again = await db.command({
        createIndexes: 'ci',
        indexes: [{ key: { a: 1 }, name: 'a_1' }],
      });
      assert.deepEqual(again, {
        numIndexesBefore: 2,
        numIndexesAfter: 2,
        note: 'all indexes already exist',
        ok: 1,
      });
      // appendFinalIndexFieldsToResult: fewer new indexes than specs notes the existing one.
      const partly = await db.command({
        createIndexes: 'ci',
        indexes: [
          { key: { a: 1 }, name: 'a_1' },
          { key: { b: -1, c: 1 }, name: 'b_-1_c_1' },
        ],
      });
      assert.deepEqual(partly, {
        numIndexesBefore: 2,
        numIndexesAfter: 3,
        createdCollectionAutomatically: false,
        note: 'index already exists',
        ok: 1,
      });
      assert.equal(await db.collection('ci').createIndex({ d: 1 }, { unique: true }), 'd_1');
    });

    test('listIndexes returns each spec as created; a missing collection is NamespaceNotFound', async () => {
      const coll = db.collection('li');
      await coll.createIndexes([
        { key: { a: 1 }, name: 'a_1', unique: true },
        { key: { b: -1, 'c.d': 1 }, name: 'b_c', sparse: true },
        { key: { e: 1 }, name: 'e_1', partialFilterExpression: { e: { $gt: 5 } } },
        { key: { t: 1 }, name: 't_1', expireAfterSeconds: 3600 },
        { key: { h: 1 }, name: 'h_1', hidden: true },
      ]);
      assert.deepEqual(await coll.listIndexes().toArray(), [
        { v: 2, key: { _id: 1 }, name: '_id_' },
        { v: 2, key: { a: 1 }, name: 'a_1', unique: true },
        { v: 2, key: { b: -1, 'c.d': 1 }, name: 'b_c', sparse: true },
        { v: 2, key: { e: 1 }, name: 'e_1', partialFilterExpression: { e: { $gt: 5 } } },
        { v: 2, key: { t: 1 }, name: 't_1', expireAfterSeconds: 3600 },
        { v: 2, key: { h: 1 }, name: 'h_1', hidden: true },
      ]);
      const batched = await db.command({ listIndexes: 'li', cursor: { batchSize: 2 } });
      assert.equal(batched.cursor.ns, 'indexes.$cmd.listIndexes.li');
      assert.equal(batched.cursor.firstBatch.length, 2);
      await rejects(
        db.command({ listIndexes: 'no_such_collection' }),
        26,
        'NamespaceNotFound',
        /ns does not exist: indexes\.no_such_collection/,
      );
    });

    test('createIndexes errors carry MongoDB codes', async () => {
      const coll = db.collection('ce');
      await coll.createIndex({ a: 1 }, { name: 'a_1' });
      const cases: [Document, number, string][] = [
        // index_catalog_impl.cpp: same name, another key.
        [{ key: { b: 1 }, name: 'a_1' }, 86, 'IndexKeySpecsConflict'],
        // Same name and key, other options.
        [{ key: { a: 1 }, name: 'a_1', unique: true }, 85, 'IndexOptionsConflict'],
        // Same key and options under another name.
        [{ key: { a: 1 }, name: 'other' }, 85, 'IndexOptionsConflict'],
        [{ key: {}, name: 'empty' }, 67, 'CannotCreateIndex'],
        [{ key: { a: 0 }, name: 'zero' }, 67, 'CannotCreateIndex'],
        [
          { key: { a: 1 }, name: 'x', sparse: true, partialFilterExpression: { a: 1 } },
          67,
          'CannotCreateIndex',
        ],
        // index_key_validate.cpp validateIndexSpecTTL and validateExpireAfterSeconds.
        [{ key: { a: 1, b: 1 }, name: 'ttl2', expireAfterSeconds: 10 }, 67, 'CannotCreateIndex'],
        [{ key: { t: 1 }, name: 'ttlneg', expireAfterSeconds: -1 }, 67, 'CannotCreateIndex'],
        [{ key: { a: 1 }, name: 'opt', foo: true }, 197, 'InvalidIndexSpecificationOption'],
        // parseAndValidateIndexSpecs: reserved names.
        [{ key: { z: 1 }, name: '_id_' }, 2, 'BadValue'],
        [{ key: { z: 1 }, name: '*' }, 2, 'BadValue'],
      ];
      for (const [spec, code, codeName] of cases) {
        await rejects(db.command({ createIndexes: 'ce', indexes: [spec] }), code, codeName);
      }
      assert.deepEqual(
        (await coll.listIndexes().toArray()).map((index) => index.name),
        ['_id_', 'a_1'],
      );
    });

    test('dropIndexes by name, key pattern, list and "*", and its errors', async () => {
      const coll = db.collection('di');
      await coll.createIndexes([
        { key: { a: 1 } },
        { key: { b: 1 } },
        { key: { c: 1 } },
        { key: { d: 1 } },
      ]);
      assert.deepEqual(await db.command({ dropIndexes: 'di', index: 'a_1' }), {
        nIndexesWas: 5,
        ok: 1,
      });
      assert.deepEqual(await db.command({ dropIndexes: 'di', index: { b: 1 } }), {
        nIndexesWas: 4,
        ok: 1,
      });
      await rejects(
        db.command({ dropIndexes: 'di', index: 'nope' }),
        27,
        'IndexNotFound',
        /index not found with name \[nope\]/,
      );
      await rejects(
        db.command({ dropIndexes: 'di', index: { nope: 1 } }),
        27,
        'IndexNotFound',
        /can't find index with key: \{ nope: 1 \}/,
      );
      // One missing name drops nothing.
      await rejects(db.command({ dropIndexes: 'di', index: ['c_1', 'nope'] }), 27, 'IndexNotFound');
      await rejects(db.command({ dropIndexes: 'di', index: '_id_' }), 72, 'InvalidOptions');
      await rejects(db.command({ dropIndexes: 'missing', index: '*' }), 26, 'NamespaceNotFound');
      assert.deepEqual(await db.command({ dropIndexes: 'di', index: '*' }), {
        nIndexesWas: 3,
        msg: 'non-_id indexes dropped for collection',
        ok: 1,
      });
      assert.deepEqual(
        (await coll.listIndexes().toArray()).map((index) => index.name),
        ['_id_'],
      );
    });
  });
});
