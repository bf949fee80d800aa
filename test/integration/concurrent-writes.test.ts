/**
 * Writes that race: a plan yields while it scans (every 1000 documents), so two clients
 * can find the same document before either writes it. Like mongod, the write re-checks the
 * document inside its transaction and plans again when what it found changed away, so a
 * work queue claimed with findOneAndUpdate (sorted, so the plan buffers its matches)
 * hands each job to exactly one worker, and
 * updateOne/deleteOne never report "nothing matched" while matching documents remain.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MongoClient } from 'mongodb';
import type { Collection } from 'mongodb';
import { startServer } from '../helpers/server-process.js';
import type { ServerProcess } from '../helpers/server-process.js';

interface Job {
  _id: number;
  status: 'done' | 'pending' | 'taken';
  priority?: number;
  by?: number;
}

const doneCount = 5000;
const pendingCount = 60;
const workers = 8;

describe('concurrent writes re-check what their plan found', () => {
  let server: ServerProcess;
  let client: MongoClient;
  let jobs: Collection<Job>;

  before(async () => {
    server = await startServer({ inMemory: true });
    client = new MongoClient(server.uri, { maxPoolSize: workers });
    jobs = client.db('race').collection<Job>('jobs');
  });

  after(async () => {
    await client.close();
    await server.stop();
    server.cleanup();
  });

  // Pending jobs are spread through the collection, so a scan yields between finding them.
  beforeEach(async () => {
    await jobs.deleteMany({});
    const spacing = Math.floor(doneCount / pendingCount);
    await jobs.insertMany(
      Array.from({ length: doneCount + pendingCount }, (_, i): Job => {
        const pending = i % (spacing + 1) === spacing;
        return pending
          ? { _id: i, status: 'pending', priority: i % 7 }
          : { _id: i, status: 'done' };
      }),
    );
  });

  async function inParallel(work: (worker: number) => Promise<void>): Promise<void> {
    await Promise.all(Array.from({ length: workers }, (_, worker) => work(worker)));
  }

  test('findOneAndUpdate claims every job exactly once', async () => {
    const claims: number[] = [];
    await inParallel(async (worker) => {
      for (;;) {
        const job = await jobs.findOneAndUpdate(
          { status: 'pending' },
          { $set: { status: 'taken', by: worker } },
          // An in-memory sort buffers every match, yielding, before it returns the first.
          { returnDocument: 'before', sort: { priority: 1 } },
        );
        if (job === null) return;
        assert.equal(job.status, 'pending', `job ${job._id} was claimed while already taken`);
        claims.push(job._id);
      }
    });
    assert.equal(new Set(claims).size, claims.length, 'a job was claimed twice');
    assert.equal(claims.length, pendingCount);
    assert.equal(await jobs.countDocuments({ status: 'pending' }), 0);
  });

  test('updateOne and deleteOne keep going until nothing matches', async () => {
    let modified = 0;
    await inParallel(async () => {
      for (;;) {
        const result = await jobs.updateOne({ status: 'pending' }, { $set: { status: 'taken' } });
        if (result.matchedCount === 0) return;
        modified += result.modifiedCount;
      }
    });
    assert.equal(modified, pendingCount);
    assert.equal(await jobs.countDocuments({ status: 'pending' }), 0);

    let deleted = 0;
    await inParallel(async () => {
      for (;;) {
        const result = await jobs.deleteOne({ status: 'taken' });
        if (result.deletedCount === 0) return;
        deleted += result.deletedCount;
      }
    });
    assert.equal(deleted, pendingCount);
    assert.equal(await jobs.countDocuments({ status: 'taken' }), 0);
  });

  test('an upsert inserts only when nothing matches any more', async () => {
    let modified = 0;
    const pendingAtUpsert: number[] = [];
    await inParallel(async () => {
      for (;;) {
        const result = await jobs.updateOne(
          { status: 'pending' },
          { $set: { status: 'taken' } },
          { upsert: true },
        );
        modified += result.modifiedCount;
        if (result.upsertedCount === 1) {
          // Pending jobs only ever decrease, so any seen now were there at the upsert.
          pendingAtUpsert.push(await jobs.countDocuments({ status: 'pending' }));
          return;
        }
      }
    });
    assert.deepEqual(pendingAtUpsert, Array<number>(workers).fill(0));
    assert.equal(modified, pendingCount);
    assert.equal(await jobs.countDocuments({ status: 'taken' }), pendingCount + workers);
  });
});
