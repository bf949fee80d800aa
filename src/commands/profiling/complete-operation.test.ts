/**
 * End of operation, with an injected clock and random source and real storage: what is
 * logged (51803 "Slow query", OpDebug::report) and what lands in system.profile
 * (OpDebug::append + profile() in introspect.cpp), in mongod's field order and types.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, Double, Int32, Long } from 'bson';
import type { BsonDocument } from '../../bson/types.js';
import { decodeOptions } from '../../bson/types.js';
import { encodeDocument } from '../../bson/serialize.js';
import { compileFilter } from '../../query/filter/index.js';
import { ManualClock } from '../../platform/clock.js';
import { SeededRandom } from '../../platform/random.js';
import { MongoError } from '../../errors/mongo-error.js';
import { createLogger } from '../../server/logger.js';
import { StorageEngine } from '../../storage/storage-engine.js';
import type {
  CommandContext,
  ConnectionInfo,
  OperationInfo,
  Reply,
  ServerState,
} from '../context.js';
import { completeOperation } from './complete-operation.js';
import { profilerOf } from './profiler.js';
import { compileProfileFilter } from './profile-filter.js';
import { profileStatement } from './profile-statement.js';
import { ensureProfileCollection } from './profile-writer.js';

const database = 't';

function makeHarness() {
  const clock = new ManualClock(1_700_000_000_000);
  const log = createLogger({ clock, quiet: true });
  const storage = StorageEngine.open({
    directory: mkdtempSync(join(tmpdir(), 'shoal-profiler-')),
    ephemeral: true,
    random: new SeededRandom(1),
  });
  // The profile command creates system.profile (and so the database) when it turns
  // profiling on; mongod writes no entry into a database that does not exist.
  ensureProfileCollection(storage, database);
  const server = {
    clock,
    log,
    storage,
    random: new SeededRandom(5),
    parameters: new Map<string, unknown>([['logLevel', new Int32(0)]]),
    options: {},
  } as unknown as ServerState;
  const connection: ConnectionInfo = {
    id: 7,
    remoteAddress: '10.0.0.5:41234',
    localAddress: '127.0.0.1',
    localPort: 27017,
    clientMetadata: { application: { name: 'reporting' } },
    connectedAtMs: 0,
  };
  const contextFor = (body: BsonDocument): CommandContext => {
    const operation: OperationInfo = {
      opid: 1,
      connectionId: connection.id,
      command: body,
      namespace: `${database}.$cmd`,
      startedAtMonotonicMs: clock.monotonicMs(),
      killed: false,
      stats: { numYield: 0 },
    };
    const request = {
      name: Object.keys(body)[0] as string,
      body,
      rawBody: encodeDocument(body),
      database,
      sequences: new Map(),
      rawSequences: new Map(),
      noReply: false,
    };
    return { server, connection, request, operation };
  };
  /** Runs a command that takes `durationMs` on the manual clock and replies `reply`. */
  const run = (
    body: BsonDocument,
    options: { durationMs?: number; reply?: Reply; fill?: (operation: OperationInfo) => void } = {},
  ): void => {
    const context = contextFor(body);
    const level = profilerOf(server).level(database);
    options.fill?.(context.operation);
    clock.advance(options.durationMs ?? 0);
    const name = context.request.name;
    completeOperation(context, name, options.reply ?? { ok: new Double(1) }, level, 'op_msg');
  };
  const entries = (): BsonDocument[] => {
    const entry = storage.collection(`${database}.system.profile`);
    if (entry === undefined) return [];
    return [...storage.scanRecords(entry)].map((record) => deserialize(record.raw, decodeOptions));
  };
  const logLines = (id: number) =>
    log
      .recent()
      .map(
        (line) =>
          JSON.parse(line) as { id: number; c: string; ctx: string; attr: Record<string, unknown> },
      )
      .filter((line) => line.id === id);
  return { server, clock, storage, run, contextFor, entries, logLines };
}

describe('completeOperation', () => {
  const harness = makeHarness();
  const profiler = profilerOf(harness.server);
  after(() => harness.storage.close());

  test('a command slower than slowms (100) is logged; one of exactly 100 ms is not', () => {
    harness.run({ find: 'c', filter: { a: new Int32(1) }, $db: database }, { durationMs: 100 });
    assert.equal(harness.logLines(51803).length, 0);
    harness.run(
      { find: 'c', filter: { a: new Int32(1) }, $db: database },
      {
        durationMs: 101,
        fill: (operation) => {
          operation.planSummary = 'COLLSCAN';
          Object.assign(operation.stats, { keysExamined: 0, docsExamined: 3 });
        },
      },
    );
    const [line] = harness.logLines(51803);
    assert.ok(line !== undefined);
    assert.equal(line.c, 'COMMAND');
    assert.equal(line.ctx, 'conn7');
    assert.deepEqual(Object.keys(line.attr), [
      'type',
      'ns',
      'appName',
      'command',
      'planSummary',
      'keysExamined',
      'docsExamined',
      'numYields',
      'queryFramework',
      'reslen',
      'locks',
      'remote',
      'protocol',
      'durationMillis',
    ]);
    assert.equal(line.attr.type, 'command');
    assert.equal(line.attr.ns, 't.c');
    assert.equal(line.attr.appName, 'reporting');
    assert.equal(line.attr.remote, '10.0.0.5:41234');
    assert.equal(line.attr.durationMillis, 101);
    assert.equal(line.attr.reslen, encodeDocument({ ok: new Double(1) }).length + 21);
    assert.equal(harness.entries().length, 0, 'level 0 profiles nothing');
  });

  test('level 2 writes an entry with mongod field order and number types', () => {
    profiler.update(database, { level: 2 });
    const reply = {
      cursor: { firstBatch: [{ a: new Int32(1) }], id: Long.ZERO, ns: 't.c' },
      ok: new Double(1),
    };
    harness.run(
      { find: 'c', filter: { a: new Int32(1) }, $db: database },
      {
        durationMs: 3,
        reply,
        fill: (operation) => {
          operation.planSummary = 'IXSCAN { a: 1 }';
          Object.assign(operation.stats, { keysExamined: 1, docsExamined: 1, numYield: 2 });
        },
      },
    );
    const entry = harness.entries().at(-1) as BsonDocument;
    assert.deepEqual(Object.keys(entry), [
      'op',
      'ns',
      'command',
      'keysExamined',
      'docsExamined',
      'cursorExhausted',
      'numYield',
      'nreturned',
      'queryFramework',
      'locks',
      'flowControl',
      'responseLength',
      'protocol',
      'millis',
      'planSummary',
      'ts',
      'client',
      'appName',
      'allUsers',
      'user',
    ]);
    assert.equal(entry.op, 'query');
    assert.deepEqual(entry.keysExamined, new Int32(1));
    assert.deepEqual(entry.numYield, new Int32(2));
    assert.deepEqual(entry.nreturned, new Int32(1));
    assert.deepEqual(entry.millis, new Int32(3));
    assert.deepEqual(entry.responseLength, new Int32(encodeDocument(reply).length + 21));
    assert.deepEqual(entry.ts, new Date(harness.clock.wallMs()));
    assert.equal(entry.client, '10.0.0.5');
    assert.equal(entry.cursorExhausted, true);
    assert.deepEqual(entry.allUsers, []);
    assert.equal(entry.user, '');
  });

  test('failed commands are profiled with ok 0, errMsg, errName and errCode', () => {
    const error = new MongoError('BadValue', 'unknown operator: $foo');
    harness.run(
      { find: 'c', filter: { $foo: new Int32(1) }, $db: database },
      {
        reply: {
          ok: new Double(0),
          errmsg: error.message,
          code: error.code,
          codeName: error.codeName,
        },
      },
    );
    const entry = harness.entries().at(-1) as BsonDocument;
    assert.deepEqual(entry.ok, new Double(0));
    assert.equal(entry.errMsg, 'unknown operator: $foo');
    assert.equal(entry.errName, 'BadValue');
    assert.deepEqual(entry.errCode, new Int32(2));
  });

  test('update, delete and server-level commands are not profiled at the top level', () => {
    const before = harness.entries().length;
    harness.run({ update: 'c', updates: [], $db: database });
    harness.run({ delete: 'c', deletes: [], $db: database });
    harness.run({ hello: new Int32(1), $db: database });
    harness.run({ ping: new Int32(1), $db: database });
    // profile1.js and profile_list_collections.js: neither is profiled, nor such a getMore.
    harness.run({ profile: new Int32(-1), $db: database });
    harness.run({ listCollections: new Int32(1), $db: database });
    harness.run({ getMore: Long.ONE, collection: '$cmd.listCollections', $db: database });
    assert.equal(harness.entries().length, before);
    harness.run({ listIndexes: 'c', $db: database });
    assert.equal(harness.entries().at(-1)?.ns, 't.c');
    harness.run({ dbStats: new Int32(1), $db: database });
    assert.equal(harness.entries().at(-1)?.ns, 't.$cmd');
  });

  test('hello is slow only past 20 s whatever slowms says', () => {
    profiler.slowMs = -1;
    const before = harness.logLines(51803).length;
    harness.run({ hello: new Int32(1), $db: database }, { durationMs: 10_000 });
    assert.equal(harness.logLines(51803).length, before);
    harness.run({ hello: new Int32(1), $db: database }, { durationMs: 20_001 });
    assert.equal(harness.logLines(51803).length, before + 1);
    profiler.slowMs = 100;
  });

  test('a filter selects on the profile document, responseLength included', () => {
    const filter = compileProfileFilter(
      { op: 'command', responseLength: { $gt: new Int32(40) } },
      (doc) => compileFilter(doc),
    );
    profiler.update(database, { level: 1, filter });
    const before = harness.entries().length;
    harness.run({ count: 'c', $db: database }, { reply: { n: new Int32(1), ok: new Double(1) } });
    harness.run({ count: 'c', $db: database }, { reply: { ok: new Double(1) } });
    harness.run({ find: 'c', $db: database }, { reply: { n: new Int32(1), ok: new Double(1) } });
    const added = harness.entries().slice(before);
    assert.equal(added.length, 1);
    assert.deepEqual(
      added[0]?.responseLength,
      new Int32(encodeDocument({ n: new Int32(1), ok: new Double(1) }).length + 21),
    );
    profiler.update(database, { level: 2, filter: null });
  });

  test('dropDatabase resets the settings and a database that is gone gets no entry', () => {
    profiler.update(database, { level: 2 });
    harness.storage.write(() => {
      for (const entry of harness.storage.collections(database))
        harness.storage.dropCollection(entry.namespace);
    });
    harness.run({ dropDatabase: new Int32(1), $db: database });
    assert.equal(profiler.level(database), 0);
    assert.equal(harness.entries().length, 0);
    const [note] = harness.logLines(20700);
    assert.equal(note?.attr.namespace, database);
    profiler.update(database, { level: 2 });
    ensureProfileCollection(harness.storage, database);
  });

  test('a failure to write the entry is a warning, never an error of the operation', () => {
    harness.storage.write(() => harness.run({ find: 'c', $db: database }));
    const [warning] = harness.logLines(20703);
    assert.ok(warning !== undefined);
    assert.match(String(warning.attr.assertion), /profiling inside a storage write/);
  });
});

describe('profileStatement', () => {
  const harness = makeHarness();
  profilerOf(harness.server).update(database, { level: 2 });
  after(() => harness.storage.close());

  test('each statement is its own entry; the command keeps its own statistics', async () => {
    const context = harness.contextFor({ update: 'c', updates: [], $db: database });
    context.operation.stats.numYield = 1;
    const statement = { q: { a: new Int32(1) }, u: { $set: { b: new Int32(1) } } };
    const result = await profileStatement(context, 'update', 't.c', statement, () => {
      context.operation.planSummary = 'COLLSCAN';
      Object.assign(context.operation.stats, { nMatched: 1, nModified: 1, nUpserted: 0 });
      context.operation.stats.numYield += 2;
      harness.clock.advance(4);
      return Promise.resolve('done');
    });
    assert.equal(result, 'done');
    assert.deepEqual(context.operation.stats, { numYield: 3 });
    assert.equal(context.operation.planSummary, undefined);
    const entry = harness.entries().at(-1) as BsonDocument;
    assert.equal(entry.op, 'update');
    assert.deepEqual(entry.command, {
      q: { a: new Int32(1) },
      u: { $set: { b: new Int32(1) } },
      multi: false,
      upsert: false,
    });
    assert.deepEqual(entry.nMatched, new Int32(1));
    assert.deepEqual(entry.millis, new Int32(4));
    assert.equal(entry.planSummary, 'COLLSCAN');
    // Statements have no wire protocol and no reply of their own.
    assert.equal(entry.protocol, undefined);
    assert.equal(entry.responseLength, undefined);
  });

  test('a failing statement is profiled with its error, which still propagates', async () => {
    const context = harness.contextFor({ delete: 'c', deletes: [], $db: database });
    const statement = { q: {}, limit: new Int32(1), collation: { locale: 'simple' } };
    await assert.rejects(
      profileStatement(context, 'remove', 't.c', statement, () =>
        Promise.reject(new MongoError('MaxTimeMSExpired', 'operation exceeded time limit')),
      ),
      /exceeded time limit/,
    );
    const entry = harness.entries().at(-1) as BsonDocument;
    assert.equal(entry.op, 'remove');
    assert.deepEqual(entry.command, {
      q: {},
      limit: new Int32(1),
      collation: { locale: 'simple' },
    });
    assert.equal(entry.errName, 'MaxTimeMSExpired');
    assert.deepEqual(entry.errCode, new Int32(50));
    assert.equal(entry.ndeleted, undefined);
  });
});
