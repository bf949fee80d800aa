/**
 * The pieces of a profile entry and its storage: number types (BSONObjBuilder::
 * appendNumber), command truncation (appendAsObjOrString, 50 KiB), the statement shapes of
 * UpdateOpEntry/DeleteOpEntry, and the bound Shoal puts on system.profile in place of
 * mongod's 1 MiB capped collection.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Binary, deserialize, Double, Int32, Long } from 'bson';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { decodeOptions } from '../../bson/types.js';
import { SeededRandom } from '../../platform/random.js';
import { StorageEngine } from '../../storage/storage-engine.js';
import type { MongoError } from '../../errors/mongo-error.js';
import {
  clientHost,
  commandBytesMax,
  logValue,
  profileNumber,
  truncatedCommand,
} from './profile-entry.js';
import { describeStatement } from './profile-statement.js';
import {
  ensureProfileCollection,
  profileCollectionOptions,
  writeProfileEntry,
} from './profile-writer.js';

const i = (value: number): Int32 => new Int32(value);

describe('profile entry values', () => {
  test('counters are ints up to 2^30 and longs beyond, as appendNumber writes them', () => {
    assert.deepEqual(profileNumber(0), new Int32(0));
    assert.deepEqual(profileNumber(2 ** 30), new Int32(2 ** 30));
    assert.deepEqual(profileNumber(2 ** 30 + 1), Long.fromNumber(2 ** 30 + 1));
  });

  test('commands over 50 KiB become {$truncated, comment}', () => {
    const small = { find: 'c', filter: { a: i(1) } };
    assert.equal(truncatedCommand(small), small);
    // One long string: BSONObj::toString already cuts it after 150 bytes.
    const long = { find: 'c', filter: { a: 'x'.repeat(commandBytesMax) }, comment: 'mine' };
    const truncated = truncatedCommand(long);
    assert.deepEqual(Object.keys(truncated), ['$truncated', 'comment']);
    assert.equal(truncated.comment, 'mine');
    assert.equal(truncated.$truncated, `{ find: "c", filter: { a: "${'x'.repeat(150)}..." } }`);
    // Many fields: the text itself is cut to the limit.
    const filter = Object.fromEntries(
      Array.from({ length: 4000 }, (_, n) => [`a${n}`, 'xxxxxxxxxx']),
    );
    const text = truncatedCommand({ find: 'c', filter }).$truncated as string;
    assert.equal(text.length, commandBytesMax);
    assert.ok(text.startsWith('{ find: "c", filter: { a0: "xxxxxxxxxx", a1: '));
    assert.ok(text.endsWith('...'));
  });

  test('the client is the remote address without its port', () => {
    assert.equal(clientHost('127.0.0.1:50123'), '127.0.0.1');
    assert.equal(clientHost('::1:50123'), '::1');
  });

  test('log values are relaxed extended JSON with UUIDs as $uuid', () => {
    const uuid = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');
    const value: BsonValue = {
      lsid: { id: new Binary(uuid, Binary.SUBTYPE_UUID) },
      n: new Int32(3),
      at: new Date(0),
      big: Long.fromString('9007199254740993'),
    };
    assert.deepEqual(logValue(value), {
      lsid: { id: { $uuid: '01234567-89ab-cdef-0123-456789abcdef' } },
      n: 3,
      at: { $date: '1970-01-01T00:00:00.000Z' },
      big: { $numberLong: '9007199254740993' },
    });
  });
});

describe('statement descriptions', () => {
  const cases: [string, 'update' | 'remove', BsonDocument, BsonDocument][] = [
    [
      'update defaults are filled in (profile1.js)',
      'update',
      { q: { _id: i(5) }, u: { $inc: { x: i(1) } } },
      { q: { _id: i(5) }, u: { $inc: { x: i(1) } }, multi: false, upsert: false },
    ],
    [
      'update options keep their order; an empty hint is left out',
      'update',
      {
        upsert: true,
        u: { $set: { 'a.$[i]': i(1) } },
        q: { _id: i(0) },
        hint: {},
        arrayFilters: [{ i: i(0) }],
        collation: { locale: 'fr' },
        multi: new Int32(1),
      },
      {
        q: { _id: i(0) },
        u: { $set: { 'a.$[i]': i(1) } },
        arrayFilters: [{ i: i(0) }],
        multi: true,
        upsert: true,
        collation: { locale: 'fr' },
      },
    ],
    [
      'delete limits are 0 or 1 (profile_delete.js)',
      'remove',
      { q: { a: { $gte: i(2) } }, limit: new Double(1), collation: { locale: 'fr' } },
      { q: { a: { $gte: i(2) } }, limit: new Int32(1), collation: { locale: 'fr' } },
    ],
    [
      'a hint is kept',
      'remove',
      { q: {}, limit: new Int32(0), hint: 'a_1' },
      { q: {}, limit: new Int32(0), hint: 'a_1' },
    ],
  ];
  for (const [name, kind, statement, expected] of cases) {
    test(name, () => {
      const described = describeStatement(kind, statement);
      assert.deepEqual(described, expected);
      assert.deepEqual(Object.keys(described), Object.keys(expected));
    });
  }
});

describe('system.profile storage', () => {
  const openStorage = (): StorageEngine =>
    StorageEngine.open({
      directory: mkdtempSync(join(tmpdir(), 'shoal-profile-writer-')),
      ephemeral: true,
      random: new SeededRandom(1),
    });

  test('entries have no _id; the collection has mongod options and no indexes', async () => {
    const storage = openStorage();
    try {
      writeProfileEntry(storage, 'db', { op: 'query', n: new Int32(1) });
      writeProfileEntry(storage, 'db', { op: 'query', n: new Int32(2) });
      const entry = storage.collection('db.system.profile');
      assert.ok(entry !== undefined);
      assert.deepEqual(entry.options, profileCollectionOptions());
      assert.deepEqual(entry.indexes, []);
      const docs = [...storage.scanRecords(entry)].map((r) => deserialize(r.raw, decodeOptions));
      assert.deepEqual(docs, [
        { op: 'query', n: new Int32(1) },
        { op: 'query', n: new Int32(2) },
      ]);
    } finally {
      await storage.close();
    }
  });

  test('the oldest entries go once the collection is over its bound', async () => {
    const storage = openStorage();
    try {
      const bytesMax = 2000;
      for (let n = 0; n < 200; n++)
        writeProfileEntry(storage, 'db', { n: new Int32(n), pad: 'x'.repeat(60) }, bytesMax);
      const entry = storage.collection('db.system.profile');
      assert.ok(entry !== undefined);
      assert.ok(entry.dataSize <= bytesMax, `dataSize ${entry.dataSize}`);
      const kept = [...storage.scanRecords(entry)].map(
        (r) => (deserialize(r.raw, decodeOptions).n as Int32).value,
      );
      // Insertion order survives and only the oldest were removed.
      assert.equal(kept.at(-1), 199);
      assert.deepEqual(
        kept,
        kept.map((_, i) => 200 - kept.length + i),
      );
      assert.equal(entry.count, kept.length);
    } finally {
      await storage.close();
    }
  });

  test('an uncapped system.profile made by the user is refused, as mongod refuses it', async () => {
    const storage = openStorage();
    try {
      storage.write(() => storage.createCollection('db.system.profile', {}));
      assert.throws(
        () => ensureProfileCollection(storage, 'db'),
        (error: MongoError) =>
          error.codeName === 'NamespaceExists' &&
          error.message === "db.system.profile exists but isn't capped",
      );
      ensureProfileCollection(storage, 'other');
      assert.deepEqual(
        storage.collection('other.system.profile')?.options,
        profileCollectionOptions(),
      );
    } finally {
      await storage.close();
    }
  });
});
