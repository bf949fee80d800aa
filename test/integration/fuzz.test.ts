/**
 * Wire fuzzing through a real socket (src/wire/fuzz.test.ts fuzzes the codec alone). A live
 * shoald with durable storage gets thousands of hostile connections: mutated valid messages,
 * random bodies behind valid headers, random BSON (every type byte, lying lengths, invalid
 * UTF-8, deep nesting, duplicate keys) inside valid OP_MSG frames for real commands with
 * wrongly typed arguments, truncated and split frames, bad OP_COMPRESSED payloads and giant
 * declared lengths. The invariant is mongod's: each request is answered with a well-formed
 * reply (ok: 0 with code, codeName and errmsg) or the connection is closed, never left
 * hanging; the process never dies; data written before the fuzz is untouched. InternalError
 * replies (a handler threw something other than a MongoError) are reported as diagnostics.
 *
 * Generators: fuzz-bson.ts (values), fuzz-commands.ts (command bodies), fuzz-wire.ts (messages
 * and the socket exchange). Environment: SHOAL_FUZZ_SEED and SHOAL_FUZZ_ITERATIONS reproduce a
 * run; SHOAL_FUZZ_ONLY=<#index> replays one case and prints all its bytes;
 * SHOAL_FUZZ_VERBOSE=1 tallies outcomes by case kind and error message.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BSONRegExp,
  Binary,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
  deserialize,
  serialize,
} from 'bson';
import type { Document } from 'bson';
import { MongoClient } from 'mongodb';
import { SeededRandom } from '../../src/platform/random.js';
import { encodeOpMsgRequest } from '../../src/wire/encode-message.js';
import { headerSize, messageSizeMax, opCodes } from '../../src/wire/limits.js';
import { startServer } from '../helpers/server-process.js';
import type { ServerProcess } from '../helpers/server-process.js';
import { Dice } from './fuzz-bson.js';
import { command, exchange, frame, nextCase, zlibBomb } from './fuzz-wire.js';
import type { FuzzCase } from './fuzz-wire.js';

const seed = Number(process.env.SHOAL_FUZZ_SEED ?? 20_240_917);
const iterations = Number(process.env.SHOAL_FUZZ_ITERATIONS ?? 3000);
/** Replays one case (by its #index in a failure message) after generating the ones before it. */
const only =
  process.env.SHOAL_FUZZ_ONLY === undefined ? undefined : Number(process.env.SHOAL_FUZZ_ONLY);
const checkEvery = 500;
/** SHOAL_FUZZ_VERBOSE=1 tallies outcomes per case kind and error message, to tune the generators. */
const verbose = process.env.SHOAL_FUZZ_VERBOSE === '1';
const parallel = 16;

// The known documents live where no fuzzed name can reach: random strings come from pools
// and byte soup, neither of which spells these names.
const knownDatabase = 'known_before_fuzz';
const knownCollection = 'untouchable';

/** Every BSON type the driver can write, in documents whose bytes must survive unchanged. */
const knownDocuments: Document[] = Array.from({ length: 40 }, (_, i) => ({
  _id: [new Int32(i), `known-${i}`, new ObjectId(i.toString(16).padStart(24, '0'))][i % 3],
  int: new Int32(i - 20),
  long: Long.fromBigInt(2n ** 53n + BigInt(i)),
  double: new Double(i === 0 ? -0 : i / 3),
  decimal: Decimal128.fromString(`${i}.10`),
  text: `ünïcödé ${'x'.repeat(i)}`,
  nested: { array: [new Int32(i), { deep: null }, []], when: new Date(1_700_000_000_000 + i) },
  binary: new Binary(Buffer.from([i, 0, 255]), i % 2 === 0 ? 0 : 0x80),
  regex: new BSONRegExp('^k', 'i'),
  stamp: new Timestamp({ t: i + 1, i: 1 }),
  bounds: [new MinKey(), new MaxKey()],
  flag: i % 2 === 0,
}));

async function verifyKnownDocuments(client: MongoClient): Promise<void> {
  assert.equal((await client.db('admin').command({ ping: 1 })).ok, 1, 'the driver can still ping');
  const collection = client.db(knownDatabase).collection(knownCollection);
  const stored = await Promise.all(
    knownDocuments.map((document) => collection.findOne({ _id: document._id }, { raw: true })),
  );
  stored.forEach((bytes, index) => {
    const expected = serialize(knownDocuments[index]!);
    assert.ok(bytes !== null, `known document ${index} is missing`);
    if (!Buffer.from(bytes as unknown as Uint8Array).equals(expected)) {
      assert.deepEqual(
        deserialize(bytes as unknown as Uint8Array),
        deserialize(expected),
        `known document ${index} changed`,
      );
    }
  });
  const count = await client.db(knownDatabase).command({ count: knownCollection });
  assert.equal(count.n, knownDocuments.length, 'no document was added or removed');
}

function nestedObject(depth: number): Document {
  let document: Document = {};
  for (let level = 0; level < depth; level++) document = { a: document };
  return document;
}

async function runPool<T>(
  items: T[],
  width: number,
  worker: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await worker(items[next++] as T);
  };
  await Promise.all(Array.from({ length: width }, lane));
}

/** InternalError replies mean a handler threw something that was not a MongoError: a bug. */
function internalErrors(replies: Document[]): string[] {
  return replies
    .filter((reply) => reply.ok === 0 && reply.code === 1)
    .map((reply) => String(reply.errmsg));
}

function outcome(reply: Document, fuzzCase: FuzzCase): string {
  const name = reply.ok === 0 ? String(reply.codeName) : 'ok';
  return verbose ? `${name}: ${fuzzCase.label}: ${String(reply.errmsg ?? '').slice(0, 80)}` : name;
}

function describeCase(index: number, fuzzCase: FuzzCase, error: unknown): string {
  const bytes = Buffer.concat(fuzzCase.chunks);
  const message = error instanceof Error ? error.message : String(error);
  return `#${index} ${fuzzCase.label} (${bytes.length} bytes: ${bytes.subarray(0, only === undefined ? 200 : undefined).toString('hex')}): ${message}`;
}

describe(`wire fuzz against a live shoald (SHOAL_FUZZ_SEED=${seed}, ${iterations} iterations)`, () => {
  let server: ServerProcess;
  let client: MongoClient;

  before(async () => {
    server = await startServer();
    client = new MongoClient(server.uri, { serverSelectionTimeoutMS: 10_000 });
    const journaled = { writeConcern: { w: 1, j: true } };
    await client
      .db(knownDatabase)
      .collection(knownCollection)
      .insertMany(knownDocuments, journaled);
    const fuzzDocuments = Array.from({ length: 30 }, (_, i) => ({
      a: i % 7,
      b: [i, 'x', { c: i }],
      s: 'a'.repeat(i),
    }));
    await client.db('fuzz').collection('c').insertMany(fuzzDocuments, journaled);
  });

  after(async () => {
    await client.close();
    await server.kill();
    server.cleanup();
  });

  // Deterministic cases: what the fuzz found, minimized, and the framing limits it relies on.

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
  test(
    'regression: a Timestamp increment of 2^31 or more is stored',
    { todo: 'src/bson/serialize.ts: Timestamp.i >= 2^31 throws RangeError (InternalError)' },
    async () => {
      const collection = client.db('regressions').collection('timestamps');
      const stamp = new Timestamp({ t: 1, i: 2 ** 32 - 1 });
      await collection.insertOne({ _id: 1, stamp } as Document);
      const stored = await collection.findOne({ _id: 1 } as Document);
      assert.ok(stored?.stamp instanceof Timestamp && stored.stamp.equals(stamp));
    },
  );

  // Found by the fuzz: a 20,000-level document overflows the JS stack. mongod
  // validates every incoming document and refuses nesting beyond 200 levels with Overflow
  // ("BSONObj exceeded maximum nested object depth: 200", src/mongo/bson/bson_validate.cpp).
  test(
    'regression: a command nested deeper than 200 levels fails with Overflow',
    { todo: 'no depth check: InternalError (stack overflow) on insert, silent acceptance on find' },
    async () => {
      const collection = client.db('regressions').collection('deep');
      const overflow = (error: { code?: number }): boolean => error.code === 15;
      await assert.rejects(
        collection.insertOne({ _id: 1, x: nestedObject(5000) } as Document),
        overflow,
      );
      await assert.rejects(collection.findOne({ x: nestedObject(5000) }), overflow);
    },
  );

  // Found by the fuzz (seed 237, minimized from a 2 KB findAndModify): a non-document in
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

  // Found by the fuzz: a count whose filter was {_id: <70 KB value>}. Such an _id cannot be
  // stored (Shoal refuses index keys over ~1.9 KB with KeyTooLong), so the lookup must simply
  // find nothing; instead lmdb's key buffer overflows (RangeError "offset is out of bounds").
  test(
    'regression: find and count by an _id longer than any index key match nothing',
    { todo: '_id point lookups with keys over lmdb maxKeySize throw RangeError (InternalError)' },
    async () => {
      const database = client.db('regressions');
      await database.collection('long').insertOne({ _id: 'short' } as Document);
      const _id = 'a'.repeat(5000);
      assert.equal(await database.collection('long').findOne({ _id } as Document), null);
      assert.equal((await database.command({ count: 'long', query: { _id } })).n, 0);
    },
  );

  // mongod refuses to store documents nested deeper than 180 levels (getMaxDepthForUserStorage:
  // 200 minus 20 reserved for oplog wrapping; validateDepth in src/mongo/db/ops/insert.cpp).
  test(
    'regression: documents nested deeper than 180 levels are refused with Overflow',
    { todo: 'no storage depth limit' },
    async () => {
      const collection = client.db('regressions').collection('depth');
      // {_id, x: nestedObject(n)} is n + 2 levels deep, counting the document itself.
      await collection.insertOne({ _id: 178, x: nestedObject(178) } as Document);
      await assert.rejects(
        collection.insertOne({ _id: 179, x: nestedObject(179) } as Document),
        (error: { code?: number }) => error.code === 15,
      );
    },
  );

  test('every request is answered or its connection closed; known documents survive', async (t) => {
    const dice = new Dice(new SeededRandom(seed));
    const bugs = new Map<string, string>();
    const outcomes = new Map<string, number>();
    const tally = (key: string): void => void outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    for (let start = 0; start < iterations; start += checkEvery) {
      // Generated up front, in order, so a seed names the same cases however the run interleaves.
      const batch = Array.from(
        { length: Math.min(checkEvery, iterations - start) },
        (_, offset) => ({ index: start + offset, fuzzCase: nextCase(dice) }),
      );
      const failures: string[] = [];
      await runPool(
        batch.filter(({ index }) => only === undefined || index === only),
        parallel,
        async ({ index, fuzzCase }) => {
          try {
            const replies = await exchange(server.port, fuzzCase);
            if (replies.length === 0) tally(verbose ? `no reply: ${fuzzCase.label}` : 'no reply');
            for (const reply of replies) tally(outcome(reply, fuzzCase));
            for (const message of internalErrors(replies)) {
              if (!bugs.has(message)) bugs.set(message, describeCase(index, fuzzCase, message));
            }
          } catch (error) {
            failures.push(describeCase(index, fuzzCase, error));
          }
        },
      );
      assert.deepEqual(failures.slice(0, 5), [], `seed ${seed}: ${failures.length} failed cases`);
      assert.equal(server.child.exitCode, null, 'the server is still running');
      await verifyKnownDocuments(client);
    }
    const sorted = [...outcomes].sort((a, b) => b[1] - a[1]);
    t.diagnostic(`outcomes: ${sorted.map(([key, count]) => `${key} ${count}`).join(', ')}`);
    for (const found of bugs.values()) t.diagnostic(`InternalError: ${found}`);
  });

  test('SIGTERM stops the server with exit code 0 and no fatal log line', async (t) => {
    await client.close();
    assert.equal(await server.stop(), 0);
    const entries = server.logLines.flatMap((line) => {
      try {
        return [JSON.parse(line) as { s?: string; msg?: string; attr?: unknown }];
      } catch {
        return [];
      }
    });
    assert.deepEqual(
      entries.filter((entry) => entry.s === 'F'),
      [],
    );
    const errors = entries.filter((entry) => entry.s === 'E');
    for (const entry of errors.slice(0, 20))
      t.diagnostic(`E log line: ${JSON.stringify(entry).slice(0, 400)}`);
  });
});
