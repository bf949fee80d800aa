/**
 * A long aggregation must not freeze the server for other clients: plans yield to the
 * event loop every 1000 documents (`yieldIterations`), so a second connection's pings are
 * answered while one connection's $group runs over the whole collection. The test counts
 * pings answered between sending the aggregate and receiving its reply; a server that ran
 * the pipeline without yielding would answer none of them until it finished.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { MongoClient } from 'mongodb';
import { startServer } from '../helpers/server-process.js';
import type { ServerProcess } from '../helpers/server-process.js';

const documentsCount = 60_000;
const pingsMin = 5;

let server: ServerProcess;
let analyst: MongoClient;
let other: MongoClient;

before(async () => {
  server = await startServer({ inMemory: true });
  analyst = new MongoClient(server.uri);
  other = new MongoClient(server.uri);
  const docs = Array.from({ length: documentsCount }, (_, i) => ({
    _id: i,
    group: i % 97,
    value: i * 0.5,
    label: `document ${i}`,
  }));
  for (let start = 0; start < docs.length; start += 10_000)
    await analyst
      .db('busy')
      .collection<(typeof docs)[number]>('big')
      .insertMany(docs.slice(start, start + 10_000));
  await other.db('admin').command({ ping: 1 });
});

after(async () => {
  await analyst.close();
  await other.close();
  await server.stop();
  server.cleanup();
});

test('pings from another client are answered while a long $group runs', async (t) => {
  let running = true;
  let pingsDuring = 0;
  const aggregation = analyst
    .db('busy')
    .collection('big')
    .aggregate([
      { $group: { _id: '$group', total: { $sum: '$value' }, labels: { $addToSet: '$label' } } },
      { $sort: { total: -1 } },
      { $project: { total: 1, labels: { $size: '$labels' } } },
    ])
    .toArray()
    .finally(() => {
      running = false;
    });
  const pinger = (async () => {
    while (running) {
      await other.db('admin').command({ ping: 1 });
      if (running) pingsDuring++;
    }
  })();
  const groups = await aggregation;
  await pinger;
  assert.equal(groups.length, 97);
  assert.equal(
    groups.reduce((sum, group) => sum + (group.labels as number), 0),
    documentsCount,
  );
  t.diagnostic(`${pingsDuring} pings answered during the aggregation`);
  assert.ok(
    pingsDuring >= pingsMin,
    `only ${pingsDuring} pings were answered while the aggregation ran`,
  );
});
