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
 * Minimized findings live in fuzz-regressions.test.ts. Generators: fuzz-bson.ts (values), fuzz-commands.ts (command bodies), fuzz-wire.ts (messages
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
import { startServer } from '../helpers/server-process.js';
import type { ServerProcess } from '../helpers/server-process.js';
import { Dice } from './fuzz-bson.js';
import { exchange, nextCase } from './fuzz-wire.js';
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
