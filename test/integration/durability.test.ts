/**
 * Durability under SIGKILL: every write the server acknowledged before the kill is there
 * after a restart on the same data directory, and the server always reopens. j:true
 * writes are acknowledged after fsync; plain writes after their transaction commits,
 * which already survives the death of the process (the kernel holds the pages).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MongoClient } from 'mongodb';
import { startServer, temporaryDirectory } from '../helpers/server-process.js';

const writersPerRun = 8;
const runs = 3;

async function writeUntilKilled(
  uri: string,
  journaled: boolean,
  run: number,
  kill: () => Promise<void>,
): Promise<Set<string>> {
  const runMs = 100 + run * 150;
  const client = new MongoClient(uri, {
    maxPoolSize: writersPerRun,
    retryWrites: false,
    serverSelectionTimeoutMS: 1000,
  });
  const acknowledged = new Set<string>();
  let stop = false;
  const writer = async (writerId: number): Promise<void> => {
    for (let i = 0; !stop; i++) {
      const _id = `${run}-${writerId}-${i}`;
      try {
        await client
          .db('durable')
          .collection('c')
          .insertOne({ _id, payload: 'x'.repeat(100) } as never, {
            writeConcern: { w: 1, j: journaled },
          });
        acknowledged.add(_id);
      } catch (error) {
        if (!stop) console.error('writer stopped:', (error as Error).message);
        return;
      }
    }
  };
  const writers = Array.from({ length: writersPerRun }, (_, id) => writer(id));
  // Kill mid-stream: once writes are flowing, after a further delay that varies per run.
  for (let waitedMs = 0; acknowledged.size < 20 && waitedMs < 20000; waitedMs += 10) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await new Promise((resolve) => setTimeout(resolve, runMs));
  await kill();
  stop = true;
  await Promise.allSettled(writers);
  await client.close(true).catch(() => undefined);
  return acknowledged;
}

for (const journaled of [true, false]) {
  test(`no acknowledged ${journaled ? 'j:true' : 'w:1'} insert is lost to SIGKILL (${runs} kills)`, async () => {
    const dbPath = temporaryDirectory();
    const all = new Set<string>();
    for (let run = 0; run < runs; run++) {
      const server = await startServer({ dbPath });
      const acknowledged = await writeUntilKilled(server.uri, journaled, run, () => server.kill());
      assert.ok(acknowledged.size > 0, 'some writes were acknowledged before the kill');
      for (const id of acknowledged) all.add(id);
      const reopened = await startServer({ dbPath });
      const client = new MongoClient(reopened.uri);
      const stored = new Set(
        (
          await client
            .db('durable')
            .collection('c')
            .find({}, { projection: { _id: 1 } })
            .toArray()
        ).map((doc) => String(doc._id)),
      );
      const missing = [...all].filter((id) => !stored.has(id));
      assert.deepEqual(missing, [], `acknowledged but missing after kill ${run + 1}`);
      const count = await client.db('durable').command({ count: 'c' });
      assert.equal(count.n, stored.size, 'the collection counter agrees with the records');
      await client.close();
      await reopened.stop();
    }
    const { rmSync } = await import('node:fs');
    rmSync(dbPath, { recursive: true, force: true });
  });
}

test('data, the catalog and counters survive a clean restart', async () => {
  const dbPath = temporaryDirectory();
  const first = await startServer({ dbPath });
  let client = new MongoClient(first.uri);
  await client
    .db('app')
    .collection<{ _id: number; name?: string }>('users')
    .insertMany([
      { _id: 1, name: 'ada' },
      { _id: 2, name: 'bob' },
    ]);
  await client.db('app').createCollection('empty');
  await client.close();
  assert.equal(await first.stop(), 0);
  const second = await startServer({ dbPath });
  client = new MongoClient(second.uri);
  const names = (await client.db('app').listCollections().toArray())
    .map((info) => info.name)
    .sort();
  assert.deepEqual(names, ['empty', 'users']);
  assert.deepEqual(
    await client.db('app').collection<{ _id: number; name?: string }>('users').find().toArray(),
    [
      { _id: 1, name: 'ada' },
      { _id: 2, name: 'bob' },
    ],
  );
  await assert.rejects(
    client.db('app').collection<{ _id: number; name?: string }>('users').insertOne({ _id: 1 }),
    /E11000/,
  );
  await client.close();
  await second.stop();
  second.cleanup();
});
