/**
 * Covered queries, index builds over existing data, long keys, collMod on indexes, and
 * find's returnKey/showRecordId.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Decimal128, Double, Long } from 'mongodb';
import type { Db } from 'mongodb';
import { ixscan, rejects, stages, useIndexServer } from '../helpers/index-suite.js';

describe('indexes: covered queries, builds, long keys, collMod', () => {
  const { collection, explain, ...suite } = useIndexServer();
  let db: Db;
  before(() => {
    db = suite.db();
  });

  describe('covered queries, index builds, long keys and collMod', () => {
    test('a covered query reads no documents and keeps numeric types', async () => {
      const coll = collection('covered');
      await coll.createIndex({ a: 1, b: -1 });
      await coll.insertMany([
        { _id: 1, a: 1, b: new Double(2.5), c: 'x' },
        { _id: 2, a: Long.fromNumber(2), b: Decimal128.fromString('1.10'), c: 'y' },
        { _id: 3, a: new Double(3), b: 'three', c: 'z' },
      ]);
      // b is projected only where the filter guarantees it: a missing b and b: null share
      // one key, so a covered b could not tell them apart.
      const command = {
        find: 'covered',
        filter: { a: { $gte: 2 }, b: { $in: [Decimal128.fromString('1.1'), 'three'] } },
        projection: { a: 1, b: 1, _id: 0 },
      };
      const reply = await explain(command);
      assert.deepEqual(stages(reply.queryPlanner.winningPlan), ['PROJECTION_COVERED', 'IXSCAN']);
      assert.equal(reply.executionStats.totalDocsExamined, 0);
      assert.equal(reply.executionStats.totalKeysExamined, 2);
      // The index keeps each value's exact type and decimal digits.
      const raw = await db.command(command, { promoteValues: false });
      assert.deepEqual(raw.cursor.firstBatch, [
        { a: Long.fromNumber(2), b: Decimal128.fromString('1.10') },
        { a: new Double(3), b: 'three' },
      ]);
      // _id is not in the index: fetching is needed.
      const fetched = await explain({ find: 'covered', filter: { a: 2 }, projection: { a: 1 } });
      assert.equal(fetched.executionStats.totalDocsExamined, 1);
    });

    test('an index built over existing documents answers queries at once', async () => {
      const coll = collection('built');
      const docs = [];
      for (let i = 0; i < 2500; i++) docs.push({ _id: i, k: i % 250, arr: [i % 7, (i + 1) % 7] });
      await coll.insertMany(docs);
      await coll.createIndexes([{ key: { k: 1 } }, { key: { arr: 1 } }]);
      const plan = await explain({ find: 'built', filter: { k: 42 } });
      assert.equal(ixscan(plan.queryPlanner.winningPlan).indexName, 'k_1');
      assert.equal(plan.executionStats.nReturned, 10);
      assert.equal(plan.executionStats.totalKeysExamined, 10);
      const viaIndex = await coll.find({ arr: 3 }).sort({ _id: -1 }).toArray();
      const viaScan = await coll.find({ arr: 3 }).sort({ _id: -1 }).hint({ $natural: 1 }).toArray();
      assert.equal(viaIndex.length, docs.filter((doc) => doc.arr.includes(3)).length);
      assert.deepEqual(viaIndex, viaScan);
      const arrPlan = await explain({ find: 'built', filter: { arr: 3 } });
      assert.equal(ixscan(arrPlan.queryPlanner.winningPlan).isMultiKey, true);
      // A descending scan longer than a yield interval returns everything once.
      const descending = await coll
        .find({ k: { $gte: 0 } })
        .sort({ k: -1 })
        .toArray();
      assert.equal(descending.length, 2500);
      assert.equal(descending[0]?.k, 249);
    });

    test('keys longer than 2 KB work in unique and non-unique indexes', async () => {
      const coll = collection('long');
      await coll.createIndex({ s: 1 }, { unique: true });
      await coll.createIndex({ t: 1 });
      const prefix = 'x'.repeat(2990);
      await coll.insertMany([
        { _id: 1, s: `${prefix}a`, t: prefix },
        { _id: 2, s: `${prefix}c`, t: prefix },
        { _id: 3, s: `${prefix}b`, t: `${prefix}!` },
        { _id: 4, s: 'short', t: prefix },
      ]);
      await rejects(coll.insertOne({ _id: 5, s: `${prefix}b` }), 11000, undefined);
      const found = await explain({ find: 'long', filter: { s: `${prefix}b` } });
      assert.equal(ixscan(found.queryPlanner.winningPlan).indexName, 's_1');
      assert.equal(found.executionStats.nReturned, 1);
      const range = await coll
        .find({ s: { $gt: `${prefix}a` } })
        .sort({ s: -1 })
        .toArray();
      assert.deepEqual(
        range.map((doc) => doc._id),
        [2, 3],
      );
      const ascending = await coll
        .find({ s: { $gte: '' } })
        .hint('s_1')
        .toArray();
      assert.deepEqual(ascending.map((doc) => doc._id).sort(), [1, 2, 3, 4]);
      assert.deepEqual(
        (await coll.find({ t: prefix }).sort({ _id: 1 }).toArray()).map((doc) => doc._id),
        [1, 2, 4],
      );
      const prefixed = await coll.find({ s: { $regex: `^${prefix}[ab]` } }).toArray();
      assert.deepEqual(prefixed.map((doc) => doc._id).sort(), [1, 3]);
      await coll.updateOne({ _id: 1 }, { $set: { s: `${prefix}d`, t: `${prefix}!` } });
      assert.deepEqual(await coll.find({ s: `${prefix}a` }).toArray(), []);
      assert.deepEqual(
        (
          await coll
            .find({ t: `${prefix}!` })
            .sort({ _id: 1 })
            .toArray()
        ).map((doc) => doc._id),
        [1, 3],
      );
      await coll.deleteOne({ _id: 2 });
      await coll.insertOne({ _id: 6, s: `${prefix}c` });
      // A unique build over long duplicates fails like any other.
      const other = collection('long_build');
      await other.insertMany([
        { _id: 1, u: `${prefix}u` },
        { _id: 2, u: `${prefix}v` },
        { _id: 3, u: `${prefix}u` },
      ]);
      await rejects(other.createIndex({ u: 1 }, { unique: true }), 11000, 'DuplicateKey');
    });

    test('collMod converts an index to unique through prepareUnique', async () => {
      const coll = collection('convert');
      await coll.createIndex({ u: 1 });
      await coll.insertMany([
        { _id: 1, u: 1 },
        { _id: 2, u: 1 },
        { _id: 3, u: 2 },
      ]);
      await rejects(
        db.command({ collMod: 'convert', index: { keyPattern: { u: 1 }, unique: true } }),
        72,
        'InvalidOptions',
      );
      const prepared = await db.command({
        collMod: 'convert',
        index: { keyPattern: { u: 1 }, prepareUnique: true },
      });
      assert.deepEqual(prepared, { prepareUnique_old: false, prepareUnique_new: true, ok: 1 });
      // New duplicates are refused once the index prepares to be unique.
      await rejects(coll.insertOne({ _id: 4, u: 2 }), 11000, undefined);
      const violation = await rejects(
        db.command({ collMod: 'convert', index: { keyPattern: { u: 1 }, unique: true } }),
        359,
        'CannotConvertIndexToUnique',
      );
      assert.deepEqual(violation.errorResponse.violations, [{ ids: [1, 2] }]);
      await coll.deleteOne({ _id: 2 });
      const converted = await db.command({
        collMod: 'convert',
        index: { keyPattern: { u: 1 }, unique: true },
      });
      assert.deepEqual(converted, { unique_new: true, ok: 1 });
      const [, spec] = await coll.listIndexes().toArray();
      assert.deepEqual(spec, { v: 2, key: { u: 1 }, name: 'u_1', unique: true });
      await rejects(coll.insertOne({ _id: 5, u: 1 }), 11000, undefined);
      await rejects(
        db.command({ collMod: 'convert', index: { name: 'u_1', expireAfterSeconds: 5 } }),
        72,
        'InvalidOptions',
      );
    });

    test('returnKey gives the index key the plan used; showRecordId adds $recordId', async () => {
      const coll = collection('keys');
      await coll.insertMany([
        { _id: 1, a: 10, b: 'x' },
        { _id: 2, a: 20, b: 'y' },
      ]);
      await coll.createIndex({ a: -1 });
      const keys = await coll.find({ a: { $gte: 10 } }, { returnKey: true }).toArray();
      assert.deepEqual(keys, [{ a: 20 }, { a: 10 }]);
      // A collection scan has no key: each document becomes {}.
      const scanned = await coll.find({}, { returnKey: true, hint: { $natural: 1 } }).toArray();
      assert.deepEqual(scanned, [{}, {}]);
      const withIds = await coll
        .find({ _id: { $gt: 0 } }, { showRecordId: true, promoteLongs: false })
        .toArray();
      assert.equal(withIds.length, 2);
      for (const doc of withIds) assert.ok(doc.$recordId instanceof Long, JSON.stringify(doc));
      // Both: the key alone, as mongod's ReturnKeyStage builds it.
      const both = await coll
        .find({}, { returnKey: true, showRecordId: true, sort: { _id: 1 } })
        .toArray();
      assert.deepEqual(both, [{ _id: 1 }, { _id: 2 }]);
    });
  });
});
