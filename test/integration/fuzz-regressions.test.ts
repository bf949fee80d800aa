/**
 * What the wire fuzz (fuzz.test.ts) found, each minimized to a deterministic test, and the
 * framing limits the fuzz relies on. Tests marked `todo` assert MongoDB's behaviour that Shoal
 * does not have yet: they run and report, and lose the marker when the bug is fixed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ObjectId } from 'bson';
import type { Document } from 'bson';
// The driver is CommonJS: its Timestamp is the CJS build's class, not the ESM one.
import { MongoClient, Timestamp } from 'mongodb';
import { encodeOpMsgRequest } from '../../src/wire/encode-message.js';
import { headerSize, messageSizeMax, opCodes } from '../../src/wire/limits.js';
import { startServer } from '../helpers/server-process.js';
import type { ServerProcess } from '../helpers/server-process.js';
import { int32 } from './fuzz-bson.js';
import { array, object, text } from './fuzz-commands.js';
import type { Value } from './fuzz-commands.js';
import { command, exchange, frame, zlibBomb } from './fuzz-wire.js';

function nestedObject(depth: number): Document {
  let document: Document = {};
  for (let level = 0; level < depth; level++) document = { a: document };
  return document;
}

/** A BSON date of any int64 milliseconds, which a JS Date cannot always hold. */
function date(milliseconds: bigint): Value {
  const bytes = Buffer.alloc(8);
  bytes.writeBigInt64LE(milliseconds);
  return [0x09, bytes];
}

const overflow = (error: { code?: number }): boolean => error.code === 15;

describe('wire fuzz findings, minimized', () => {
  let server: ServerProcess;
  let client: MongoClient;

  /** Inserts hand-built documents (which the driver could not send) and returns the reply. */
  async function rawInsert(collection: string, documents: Value[]): Promise<Document> {
    const body = object([
      ['insert', text(collection)],
      ['documents', array(documents)],
      ['$db', text('regressions')],
    ]);
    const replies = await exchange(server.port, {
      label: 'insert',
      chunks: [encodeOpMsgRequest({ requestId: 1, body: body[1] })],
    });
    assert.equal(replies.length, 1);
    return replies[0]!;
  }

  before(async () => {
    server = await startServer();
    client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 10_000 });
  });

  after(async () => {
    await client.close();
    assert.equal(await server.stop(), 0);
    server.cleanup();
  });

  test('a declared length over maxMessageSizeBytes closes that connection without a reply', async () => {
    const header = Buffer.alloc(headerSize);
    header.writeInt32LE(messageSizeMax + 1, 0);
    header.writeInt32LE(opCodes.msg, 12);
    assert.deepEqual(await exchange(server.port, { label: 'giant', chunks: [header] }), []);
    assert.equal((await client.db('admin').command({ ping: 1 })).ok, 1);
  });

  test('a zlib bomb behind a small uncompressedSize closes that connection', async () => {
    const header = Buffer.alloc(9);
    header.writeInt32LE(opCodes.msg, 0);
    header.writeInt32LE(100, 4);
    header.writeUInt8(2, 8);
    const bomb = frame(opCodes.compressed, [header, zlibBomb], 1);
    assert.deepEqual(await exchange(server.port, { label: 'bomb', chunks: [bomb] }), []);
  });

  test('a request split into single bytes is reassembled and answered', async () => {
    const ping = encodeOpMsgRequest({ requestId: 7, body: command({ ping: 1 }) });
    const chunks = Array.from(ping, (byte) => Buffer.from([byte]));
    const replies = await exchange(server.port, { label: 'bytewise', chunks });
    assert.deepEqual(
      replies.map((reply) => reply.ok),
      [1],
    );
  });

  // Found by the fuzz: random Timestamp bytes in an inserted document. mongod stores the increment as an
  // unsigned 32-bit value; serialize.ts writes it with writeInt32LE, which throws at 2^31.
  test('regression: a Timestamp increment of 2^31 or more is stored', async () => {
    const collection = client.db('regressions').collection('timestamps');
    const stamp = new Timestamp({ t: 1, i: 2 ** 32 - 1 });
    await collection.insertOne({ _id: 1, stamp } as Document);
    const stored = await collection.findOne({ _id: 1 } as Document);
    assert.ok(stored?.stamp instanceof Timestamp && stored.stamp.equals(stamp));
  });

  // Found by the fuzz: a 20,000-level document overflows the JS stack. mongod
  // validates every incoming document and refuses nesting beyond 200 levels with Overflow
  // ("BSONObj exceeded maximum nested object depth: 200", src/mongo/bson/bson_validate.cpp).
  test('regression: a command nested deeper than 200 levels fails with Overflow', async () => {
    const collection = client.db('regressions').collection('deep');
    await assert.rejects(
      collection.insertOne({ _id: 1, x: nestedObject(5000) } as Document),
      overflow,
    );
    await assert.rejects(collection.findOne({ x: nestedObject(5000) }), overflow);
  });

  // Found by the fuzz (minimized from a 2 KB findAndModify): a non-document in
  // arrayFilters reached the filter compiler and came back as InternalError. mongod's IDL
  // declares the field array<object>, so parsing fails with TypeMismatch.
  test('regression: findAndModify with a non-document arrayFilters element is a TypeMismatch', async () => {
    const command = { findAndModify: 'c', update: {}, arrayFilters: [new ObjectId()] };
    await assert.rejects(
      client.db('regressions').command(command),
      (error: Error & { code?: number }) => {
        assert.equal(error.code, 14);
        assert.equal(
          error.message,
          "BSON field 'findAndModify.arrayFilters.0' is the wrong type 'objectId', expected type 'object'",
        );
        return true;
      },
    );
  });

  // Found by the fuzz: a count whose filter was {_id: <70 KB value>} overflowed lmdb's key
  // buffer (RangeError "offset is out of bounds", InternalError). mongod has no index key size
  // limit since 4.2; fixed on main by the secondary-index work.
  test('regression: find and count by _id values far over lmdb maxKeySize', async () => {
    const collection = client.db('regressions').collection('long');
    const stored = 'a'.repeat(70_000);
    await collection.insertOne({ _id: stored } as Document);
    assert.equal((await collection.findOne({ _id: stored } as Document))?._id, stored);
    assert.equal(await collection.findOne({ _id: 'b'.repeat(5000) } as Document), null);
    const count = await client.db('regressions').command({ count: 'long', query: { _id: stored } });
    assert.equal(count.n, 1);
  });

  // mongod refuses to store documents nested deeper than 180 levels (getMaxDepthForUserStorage:
  // 200 minus 20 reserved for oplog wrapping; validateDepth in src/mongo/db/ops/insert.cpp).
  test('regression: documents nested deeper than 180 levels are refused with Overflow', async () => {
    const collection = client.db('regressions').collection('depth');
    // {_id, x: nestedObject(n)} is n + 2 levels deep, counting the document itself.
    await collection.insertOne({ _id: 178, x: nestedObject(178) } as Document);
    await assert.rejects(
      collection.insertOne({ _id: 179, x: nestedObject(179) } as Document),
      (error: { code?: number }) => error.code === 15,
    );
  });

  // Found by the fuzz (one case inserted it, a later delete tripped on it): a BSON date is any
  // int64 of milliseconds, but one beyond a JS Date's ±8.64e15 ms was stored as 1970-01-01.
  // Shoal decodes BSON dates to JS Date, which holds only ±8.64e15 ms (years -271821 to
  // 275760). Such dates were stored as 1970 and left index entries no delete could find;
  // now every command carrying one is refused (docs/compatibility.md), so nothing stored
  // can differ from what was sent.
  test('regression: dates outside the JS Date range are refused, in a field or as _id', async () => {
    const inField = object([
      ['_id', [0x10, int32(1)]],
      ['d', date(2n ** 62n)],
    ]);
    for (const document of [inField, object([['_id', date(2n ** 62n)]])]) {
      // Refused per document (a write error), like any other document it cannot store.
      const reply = await rawInsert('dates', [document]);
      assert.equal(reply.n, 0);
      const [error] = reply.writeErrors as { code: number; errmsg: string }[];
      assert.equal(error?.code, 2);
      assert.match(String(error?.errmsg), /dates outside years -271821 to 275760/);
    }
    assert.equal(await client.db('regressions').collection('dates').countDocuments(), 0);
  });

  test('regression: the largest representable dates are stored exactly and stay deletable', async () => {
    const collection = client.db('regressions').collection('edge-dates');
    await collection.createIndex({ d: 1 });
    const edge = object([
      ['_id', date(8_640_000_000_000_000n)],
      ['d', date(-8_640_000_000_000_000n)],
    ]);
    assert.equal((await rawInsert('edge-dates', [edge])).n, 1);
    const stored = await collection.findOne({}, { raw: true });
    assert.equal(
      Buffer.from(stored as unknown as Uint8Array).toString('hex'),
      edge[1].toString('hex'),
    );
    assert.equal((await collection.deleteMany({})).deletedCount, 1);
  });

  // Seen while minimizing that case: mongod's validateKeyPattern (index_key_validate.cpp) refuses
  // key fields starting with '$' (except $ref, $id and $db inside a DBRef path).
  test("regression: createIndexes refuses key fields that start with '$'", async () => {
    const database = client.db('regressions');
    for (const key of [{ $a: 1 }, { 'a.$': -1 }, { 'a.$b': 1 }]) {
      await assert.rejects(
        database.command({ createIndexes: 'keys', indexes: [{ key, name: 'k' }] }),
        (error: Error & { code?: number }) => {
          assert.equal(error.code, 67);
          assert.match(
            error.message,
            /Index key contains an illegal field name: field name starts with '\$'\./,
          );
          return true;
        },
      );
    }
  });

  // Seen while minimizing: mongod refuses these _ids per document (fixDocumentForInsert in
  // src/mongo/db/ops/insert.cpp), as BadValue write errors.
  test('regression: a document with two _id fields is refused with BadValue', async () => {
    const twice = object([
      ['_id', [0x10, int32(1)]],
      ['x', text('y')],
      ['_id', [0x10, int32(2)]],
    ]);
    const reply = await rawInsert('twice', [twice]);
    assert.equal(reply.n, 0);
    assert.equal(reply.writeErrors?.[0]?.code, 2);
    assert.equal(reply.writeErrors?.[0]?.errmsg, "can't have multiple _id fields in one document");
  });

  test(
    // MongoDB 7.0's storage_validation::storageValidIdField (older releases said BadValue,
    // "can't use a undefined for _id").
    'regression: an undefined _id is refused with InvalidIdField',
    async () => {
      const reply = await rawInsert('undefined', [object([['_id', [0x06, Buffer.alloc(0)]]])]);
      assert.equal(reply.n, 0);
      assert.equal(reply.writeErrors?.[0]?.code, 53);
      assert.equal(reply.writeErrors?.[0]?.errmsg, "The '_id' value cannot be of type undefined");
    },
  );
});
