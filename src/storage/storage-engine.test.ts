import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, Double, Int32, Long } from 'bson';
import { encodeDocument } from '../bson/serialize.js';
import { decodeOptions } from '../bson/types.js';
import type { BsonDocument } from '../bson/types.js';
import { SeededRandom } from '../platform/random.js';
import { MongoError } from '../errors/mongo-error.js';
import { StorageEngine } from './storage-engine.js';
import { deleteDocument, insertDocument, updateDocument } from './document-writes.js';
import { findUniqueKey } from './index-entries.js';
import { encodeKey } from '../bson/key-string.js';

function openEngine(directory: string): StorageEngine {
  return StorageEngine.open({ directory, ephemeral: false, random: new SeededRandom(1) });
}

function withDirectory(fn: (directory: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const directory = mkdtempSync(join(tmpdir(), 'shoal-storage-'));
    try {
      await fn(directory);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  };
}

function insert(engine: StorageEngine, namespace: string, doc: BsonDocument): number {
  const entry = engine.collection(namespace) ?? engine.createCollection(namespace, {});
  return insertDocument(engine, entry, encodeDocument(doc), doc);
}

test(
  'records, counters and the catalog survive a reopen',
  withDirectory(async (directory) => {
    const engine = openEngine(directory);
    engine.write(() => {
      insert(engine, 'app.users', { _id: new Int32(1), name: 'ada' });
      insert(engine, 'app.users', { _id: new Int32(2), name: 'bob' });
      insert(engine, 'other.things', { _id: 'x' });
    });
    await engine.close();

    const reopened = openEngine(directory);
    const users = reopened.collection('app.users');
    assert.ok(users);
    assert.equal(users.count, 2);
    assert.deepEqual(reopened.databases(), ['app', 'other']);
    const names = [...reopened.scanRecords(users)].map(
      ({ raw }) => deserialize(raw, decodeOptions).name,
    );
    assert.deepEqual(names, ['ada', 'bob']);
    // Record ids keep growing after a reopen: no reuse of a deleted tail id.
    const recordId = reopened.write(() => insert(reopened, 'app.users', { _id: new Int32(3) }));
    assert.equal(recordId, 3);
    await reopened.close();
  }),
);

test(
  'a duplicate _id is rejected across numeric types, with keyPattern and keyValue',
  withDirectory(async (directory) => {
    const engine = openEngine(directory);
    engine.write(() => insert(engine, 'db.c', { _id: new Int32(1) }));
    // The message prints the rejected key as BSONObj::toString does: a double as 1.0.
    for (const [id, shown] of [
      [new Int32(1), '1'],
      [Long.fromNumber(1), '1'],
      [new Double(1), '1.0'],
    ] as const) {
      assert.throws(
        () => engine.write(() => insert(engine, 'db.c', { _id: id })),
        (error: unknown) =>
          error instanceof MongoError &&
          error.code === 11000 &&
          error.message ===
            `E11000 duplicate key error collection: db.c index: _id_ dup key: { _id: ${shown} }` &&
          error.extra !== undefined &&
          'keyPattern' in error.extra,
      );
    }
    assert.equal(engine.collection('db.c')?.count, 1);
    await engine.close();
  }),
);

test(
  'an aborted write leaves disk and the in-memory catalog unchanged',
  withDirectory(async (directory) => {
    const engine = openEngine(directory);
    assert.throws(() =>
      engine.write(() => {
        insert(engine, 'db.fresh', { _id: new Int32(1) });
        throw new Error('abort');
      }),
    );
    assert.equal(engine.collection('db.fresh'), undefined);
    engine.write(() => insert(engine, 'db.c', { _id: new Int32(1) }));
    const entry = engine.collection('db.c');
    assert.ok(entry);
    assert.throws(() =>
      engine.write(() => {
        insert(engine, 'db.c', { _id: new Int32(2) });
        throw new Error('abort');
      }),
    );
    assert.equal(entry.count, 1);
    assert.equal(entry.nextRecordId, 2);
    await engine.close();
    const reopened = openEngine(directory);
    assert.equal(reopened.collection('db.fresh'), undefined);
    assert.equal(reopened.collection('db.c')?.count, 1);
    await reopened.close();
  }),
);

test(
  'update and delete maintain the _id index and the counters',
  withDirectory(async (directory) => {
    const engine = openEngine(directory);
    const doc = { _id: 'a', v: new Int32(1) };
    const raw = encodeDocument(doc);
    const recordId = engine.write(() => insert(engine, 'db.c', doc));
    const entry = engine.collection('db.c');
    assert.ok(entry);
    const bigger = { _id: 'a', v: new Int32(1), more: 'x'.repeat(100) };
    const biggerRaw = encodeDocument(bigger);
    engine.write(() =>
      updateDocument(engine, entry, recordId, { raw, doc }, { raw: biggerRaw, doc: bigger }),
    );
    assert.equal(entry.dataSize, biggerRaw.length);
    const idIndex = entry.indexes[0];
    assert.ok(idIndex);
    const key = encodeKey(['a'], [1]).key;
    assert.equal(findUniqueKey(engine.kv, idIndex, key), recordId);
    engine.write(() => deleteDocument(engine, entry, recordId, biggerRaw, bigger));
    assert.equal(findUniqueKey(engine.kv, idIndex, key), undefined);
    assert.equal(entry.count, 0);
    assert.equal(entry.dataSize, 0);
    await engine.close();
  }),
);

test(
  'drop and rename move every key with the collection',
  withDirectory(async (directory) => {
    const engine = openEngine(directory);
    engine.write(() => {
      insert(engine, 'db.a', { _id: new Int32(1) });
      insert(engine, 'db.b', { _id: new Int32(1) });
    });
    engine.write(() => engine.renameCollection('db.a', 'db.renamed'));
    engine.write(() => engine.dropCollection('db.b'));
    await engine.close();
    const reopened = openEngine(directory);
    assert.deepEqual(
      reopened.collections().map((entry) => entry.namespace),
      ['db.renamed'],
    );
    assert.equal([...reopened.kv.range({})].filter(({ key }) => key[0] === 0x03).length, 1);
    await reopened.close();
  }),
);
