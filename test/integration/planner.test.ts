/**
 * Planning through the driver: multikey and compound indexes, sorts served by an index,
 * hints, and explain at its three verbosities with MongoDB's field names and bounds.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Document } from 'mongodb';
import { ixscan, rejects, stages, useIndexServer } from '../helpers/index-suite.js';
import type { ExplainStage } from '../helpers/index-suite.js';

describe('indexes: planning and explain', () => {
  const { collection, count, explain } = useIndexServer();

  describe('planning: multikey, compound sorts, hints', () => {
    test('a multikey index finds array elements and cannot provide a sort', async () => {
      const coll = collection('multikey');
      await coll.createIndex({ tags: 1 });
      await coll.insertMany([
        { _id: 1, tags: ['b', 'a'] },
        { _id: 2, tags: 'c' },
        { _id: 3, tags: [] },
        { _id: 4, tags: [['a']] },
        { _id: 5 },
      ]);
      const plan = await explain({ find: 'multikey', filter: { tags: 'a' } });
      const scan = ixscan(plan.queryPlanner.winningPlan);
      assert.equal(scan.isMultiKey, true);
      assert.deepEqual(scan.multiKeyPaths, { tags: ['tags'] });
      assert.deepEqual(scan.indexBounds, { tags: ['["a", "a"]'] });
      assert.deepEqual(
        (await coll.find({ tags: 'a' }).toArray()).map((doc) => doc._id),
        [1],
      );
      assert.deepEqual(
        (await coll.find({ tags: ['a'] }).toArray()).map((doc) => doc._id),
        [4],
      );
      // Ascending on an array sorts by its smallest element, [] before null/missing.
      const sorted = await explain({ find: 'multikey', filter: {}, sort: { tags: 1 } });
      assert.equal(stages(sorted.queryPlanner.winningPlan)[0], 'SORT');
      assert.deepEqual(
        (await coll.find().sort({ tags: 1, _id: 1 }).toArray()).map((doc) => doc._id),
        [3, 5, 1, 2, 4],
      );
      // Two ranges on one multikey path are not intersected: 1 < x and x < 3 may hold for
      // different elements.
      const ranges = collection('multikey_ranges');
      await ranges.createIndex({ x: 1 });
      await ranges.insertMany([
        { _id: 1, x: [0, 5] },
        { _id: 2, x: 2 },
        { _id: 3, x: 7 },
      ]);
      const both = await ranges
        .find({ x: { $gt: 1, $lt: 3 } })
        .sort({ _id: 1 })
        .toArray();
      assert.deepEqual(
        both.map((doc) => doc._id),
        [1, 2],
      );
      const elem = await ranges.find({ x: { $elemMatch: { $gt: 1, $lt: 3 } } }).toArray();
      assert.deepEqual(
        elem.map((doc) => doc._id),
        [],
      );
    });

    test('a compound index provides its sort forward and backward, not mixed', async () => {
      const coll = collection('compound');
      await coll.createIndex({ a: 1, b: -1 });
      const docs = [];
      for (let i = 0; i < 12; i++) docs.push({ _id: i, a: i % 3, b: i % 4 });
      await coll.insertMany(docs);
      const cases: [Document, boolean, string | undefined][] = [
        [{ a: 1, b: -1 }, false, 'forward'],
        [{ a: -1, b: 1 }, false, 'backward'],
        [{ a: 1 }, false, 'forward'],
        [{ a: 1, b: 1 }, true, undefined],
      ];
      for (const [sort, blocking, direction] of cases) {
        const plan = await explain({ find: 'compound', filter: { a: { $gte: 0 } }, sort });
        const names = stages(plan.queryPlanner.winningPlan);
        assert.equal(names.includes('SORT'), blocking, JSON.stringify({ sort, names }));
        if (direction !== undefined)
          assert.equal(ixscan(plan.queryPlanner.winningPlan).direction, direction);
        const found = await coll
          .find({ a: { $gte: 0 } })
          .sort(sort)
          .toArray();
        const expected = [...docs].sort((x, y) => {
          for (const [field, order] of Object.entries(sort)) {
            const diff = ((x as Document)[field] - (y as Document)[field]) * (order as number);
            if (diff !== 0) return diff;
          }
          return 0;
        });
        const key = (doc: Document): string =>
          Object.keys(sort)
            .map((f) => doc[f])
            .join(',');
        assert.deepEqual(found.map(key), expected.map(key), JSON.stringify(sort));
      }
      // An equality on the prefix lets the index order the suffix.
      const pinned = await explain({ find: 'compound', filter: { a: 2 }, sort: { b: 1 } });
      assert.ok(!stages(pinned.queryPlanner.winningPlan).includes('SORT'));
      assert.deepEqual(
        (await coll.find({ a: 2 }).sort({ b: 1 }).toArray()).map((doc) => doc.b),
        [0, 1, 2, 3],
      );
    });

    test('hint by name, by key pattern and $natural; an unknown hint is BadValue', async () => {
      const coll = collection('hints');
      await coll.createIndexes([{ key: { a: 1 } }, { key: { b: 1 } }]);
      await coll.insertMany([
        { _id: 1, a: 1, b: 2 },
        { _id: 2, a: 2, b: 1 },
      ]);
      for (const hint of ['b_1', { b: 1 }]) {
        const plan = await explain({ find: 'hints', filter: { a: 1 }, hint });
        assert.equal(ixscan(plan.queryPlanner.winningPlan).indexName, 'b_1');
        assert.deepEqual(ixscan(plan.queryPlanner.winningPlan).indexBounds, {
          b: ['[MinKey, MaxKey]'],
        });
        assert.deepEqual(await coll.find({ a: 1 }).hint(hint).toArray(), [{ _id: 1, a: 1, b: 2 }]);
      }
      const natural = await explain({ find: 'hints', filter: { a: 1 }, hint: { $natural: -1 } });
      assert.deepEqual(stages(natural.queryPlanner.winningPlan), ['COLLSCAN']);
      assert.equal(natural.queryPlanner.winningPlan.direction, 'backward');
      for (const hint of ['c_1', { c: 1 }, { a: -1 }]) {
        await rejects(
          coll.find({ a: 1 }).hint(hint).toArray(),
          2,
          'BadValue',
          /hint provided does not correspond to an existing index/,
        );
      }
    });
  });

  describe('explain', () => {
    before(async () => {
      const coll = collection('ex');
      await coll.createIndexes([{ key: { a: 1 } }, { key: { b: 1 } }, { key: { a: 1, b: 1 } }]);
      const docs = [];
      for (let i = 0; i < 30; i++) docs.push({ _id: i, a: i % 5, b: i % 3, s: `s${i % 10}` });
      await coll.insertMany(docs);
    });

    test('queryPlanner lists the winning and rejected plans without running them', async () => {
      // One earlier run does not make the plan cached (plan_cache_callbacks.cpp: the first
      // entry is inactive), so the candidates race again.
      await collection('ex').find({ a: 2, b: 1 }).toArray();
      const reply = await explain({ find: 'ex', filter: { a: 2, b: 1 } }, 'queryPlanner');
      assert.equal(reply.ok, 1);
      assert.equal(reply.executionStats, undefined);
      assert.equal(reply.queryPlanner.namespace, 'indexes.ex');
      const winning = reply.queryPlanner.winningPlan as ExplainStage;
      assert.deepEqual(stages(winning), ['FETCH', 'IXSCAN']);
      assert.equal(ixscan(winning).indexName, 'a_1_b_1');
      assert.deepEqual(ixscan(winning).indexBounds, { a: ['[2, 2]'], b: ['[1, 1]'] });
      const rejected = (reply.queryPlanner.rejectedPlans as ExplainStage[]).map(
        (plan) => ixscan(plan).indexName,
      );
      assert.deepEqual(rejected.sort(), ['a_1', 'b_1']);
      assert.deepEqual(reply.command, { find: 'ex', filter: { a: 2, b: 1 }, $db: 'indexes' });
      // Exact bounds answer the whole filter: FETCH re-checks nothing, as in MongoDB.
      assert.equal((winning as { filter?: unknown }).filter, undefined);
    });

    test('executionStats counts keys and documents examined', async () => {
      const reply = await explain({ find: 'ex', filter: { a: 3, s: 's3' } });
      const stats = reply.executionStats;
      assert.equal(stats.executionSuccess, true);
      // a = 3 holds for 6 documents, s = 's3' for 3 of them.
      assert.equal(stats.nReturned, 3);
      assert.equal(stats.totalKeysExamined, 6);
      assert.equal(stats.totalDocsExamined, 6);
      assert.equal(stats.allPlansExecution, undefined);
      const execution = stats.executionStages as ExplainStage;
      assert.deepEqual(stages(execution), ['FETCH', 'IXSCAN']);
      assert.equal(execution.nReturned, 3);
      assert.equal(execution.docsExamined, 6);
      assert.equal(ixscan(execution).keysExamined, 6);
      // s is not in the index: FETCH filters on it (and only on it, in MongoDB).
      assert.ok((execution as { filter?: unknown }).filter !== undefined);
      // A bounded sort keeps only `limit` documents: no LIMIT stage above it.
      const limited = await explain({ find: 'ex', filter: {}, sort: { s: 1 }, limit: 2 });
      const sortStage = limited.queryPlanner.winningPlan as ExplainStage & { limitAmount?: number };
      assert.deepEqual(stages(sortStage), ['SORT', 'COLLSCAN']);
      assert.equal(sortStage.limitAmount, 2);
      assert.equal(limited.executionStats.nReturned, 2);
      const ordered = await explain({ find: 'ex', filter: {}, sort: { a: 1 }, limit: 2 });
      assert.deepEqual(stages(ordered.queryPlanner.winningPlan), ['LIMIT', 'FETCH', 'IXSCAN']);
      const scan = await explain({ find: 'ex', filter: { s: 's3' } });
      assert.deepEqual(stages(scan.executionStats.executionStages), ['COLLSCAN']);
      assert.equal(scan.executionStats.totalDocsExamined, 30);
      assert.equal(scan.executionStats.totalKeysExamined, 0);
    });

    test('allPlansExecution reports the trial of every candidate, the winner included', async () => {
      const reply = await explain(
        { find: 'ex', filter: { a: 1, b: { $gte: 2 } } },
        'allPlansExecution',
      );
      const all = reply.executionStats.allPlansExecution as Document[];
      assert.equal(all.length, 3);
      const names = all.map((plan) => ixscan(plan.executionStages as ExplainStage).indexName);
      assert.deepEqual(names.sort(), ['a_1', 'a_1_b_1', 'b_1']);
      for (const plan of all) {
        assert.equal(typeof plan.nReturned, 'number');
        assert.equal(typeof plan.totalKeysExamined, 'number');
        assert.equal(typeof plan.totalDocsExamined, 'number');
      }
      // A single candidate is not raced.
      const single = await explain({ find: 'ex', filter: { s: 's1' } }, 'allPlansExecution');
      assert.deepEqual(single.executionStats.allPlansExecution, []);
    });

    test('index bounds print as MongoDB prints them', async () => {
      const cases: [Document, Document, Record<string, string[]>][] = [
        [{ a: { $gt: 2 } }, {}, { a: ['(2, inf.0]'] }],
        [{ a: { $lte: 2 } }, {}, { a: ['[-inf.0, 2]'] }],
        [{ a: { $in: [4, 1] } }, {}, { a: ['[1, 1]', '[4, 4]'] }],
        [{ a: null }, {}, { a: ['[undefined, undefined]', '[null, null]'] }],
        [{ a: { $exists: true } }, {}, { a: ['[MinKey, MaxKey]'] }],
        [{ a: { $gte: 1 } }, { a: -1 }, { a: ['[inf.0, 1]'] }],
      ];
      for (const [filter, sort, indexBounds] of cases) {
        const reply = await explain({ find: 'ex', filter, sort, hint: 'a_1' }, 'queryPlanner');
        assert.deepEqual(ixscan(reply.queryPlanner.winningPlan).indexBounds, indexBounds);
      }
      const backward = await explain({
        find: 'ex',
        filter: { a: 1 },
        sort: { b: -1 },
        hint: 'a_1_b_1',
      });
      const scan = ixscan(backward.queryPlanner.winningPlan);
      assert.equal(scan.direction, 'backward');
      assert.deepEqual(scan.indexBounds, { a: ['[1, 1]'], b: ['[MaxKey, MinKey]'] });
      assert.ok(!stages(backward.queryPlanner.winningPlan).includes('SORT'));
    });

    test('count, distinct, update and delete explain with their own root stage', async () => {
      const counted = await explain({ count: 'ex', query: { a: 1 } });
      assert.deepEqual(stages(counted.queryPlanner.winningPlan).slice(0, 1), ['COUNT']);
      const update = await explain({
        update: 'ex',
        updates: [{ q: { a: 1 }, u: { $set: { z: 1 } } }],
      });
      assert.equal(update.queryPlanner.winningPlan.stage, 'UPDATE');
      const remove = await explain({ delete: 'ex', deletes: [{ q: { a: 1 }, limit: 0 }] });
      assert.equal(remove.queryPlanner.winningPlan.stage, 'DELETE');
      // Explained writes change nothing.
      assert.equal((await collection('ex').find({ z: 1 }).toArray()).length, 0);
      assert.equal(await count('ex'), 30);
    });
  });
});
