/**
 * createIndexes, listIndexes and dropIndexes through the driver: replies and errors as
 * MongoDB 7.0 gives them, and index state across a restart.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { MongoClient } from 'mongodb';
import { startServer, temporaryDirectory } from '../helpers/server-process.js';
import type { Db, Document } from 'mongodb';
import { ixscan, rejects, useIndexServer } from '../helpers/index-suite.js';
import type { Loose } from '../helpers/index-suite.js';

describe('indexes: createIndexes, listIndexes, dropIndexes', () => {
  const { collection, ...suite } = useIndexServer();
  let db: Db;
  before(() => {
    db = suite.db();
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
      assert.equal(await collection('ci').createIndex({ d: 1 }, { unique: true }), 'd_1');
    });

    test('listIndexes returns each spec as created; a missing collection is NamespaceNotFound', async () => {
      const coll = collection('li');
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
      const coll = collection('ce');
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
      const coll = collection('di');
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

describe('index state across a restart', () => {
  test('an index stays multikey after the server restarts', async () => {
    const dbPath = temporaryDirectory();
    const run = async (work: (db: Db) => Promise<void>): Promise<void> => {
      const server = await startServer({ dbPath });
      const client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 5000 });
      try {
        await work(client.db('restart'));
      } finally {
        await client.close();
        await server.stop();
      }
    };
    try {
      await run(async (db) => {
        await db.collection<Loose>('c').createIndex({ a: 1 });
        await db.collection<Loose>('c').insertOne({ _id: 1, a: [1, 5] });
      });
      await run(async (db) => {
        // 1 < 3 and 5 > 3 hold for different elements: the bounds must not be intersected.
        const found = await db
          .collection<Loose>('c')
          .find({ a: { $gt: 2, $lt: 4 } })
          .toArray();
        assert.deepEqual(found, [{ _id: 1, a: [1, 5] }]);
        const plan = await db.command({ explain: { find: 'c', filter: { a: 5 } } });
        assert.equal(ixscan(plan.queryPlanner.winningPlan).isMultiKey, true);
      });
    } finally {
      rmSync(dbPath, { recursive: true, force: true });
    }
  });
});
