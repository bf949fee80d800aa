/**
 * The profiler's decision rule and settings. Expected behaviour follows mongod 7.0:
 * CurOp::completeAndLogOperation and shouldLogSlowOpWithSampling (log_with_sampling.h),
 * ProfileCmdBase (profile_common.cpp), ProfileFilterImpl and OpDebug::appendStaged.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Int32 } from 'bson';
import type { BsonDocument } from '../../bson/types.js';
import { compileFilter } from '../../query/filter/index.js';
import type { Random } from '../../platform/random.js';
import { SeededRandom } from '../../platform/random.js';
import { MongoError } from '../../errors/mongo-error.js';
import { parseMongodArgs } from '../../cli/parse-mongod-args.js';
import { serverOptionsFrom } from '../../cli/server-options-from-args.js';
import type { ProfileDecisionInput, ProfileLevel } from './profiler.js';
import { Profiler, decideProfiling } from './profiler.js';
import { compileProfileFilter, serializeProfileFilter } from './profile-filter.js';

/** A Random that fails the test if the rule draws when it should not. */
const noDraws: Random = {
  next: () => assert.fail('drew a random number for an operation that cannot be sampled'),
  bytes: () => assert.fail('unexpected bytes()'),
};

function decide(overrides: Partial<ProfileDecisionInput>): { log: boolean; profile: boolean } {
  return decideProfiling({
    level: 0,
    durationMs: 0,
    slowMs: 100,
    sampleRate: 1,
    verbose: false,
    random: noDraws,
    filter: undefined,
    ...overrides,
  });
}

const i = (value: number): Int32 => new Int32(value);

describe('decideProfiling without a filter', () => {
  const cases: [ProfileLevel, number, number, boolean, boolean][] = [
    // level, durationMs, slowMs, log, profile
    [0, 50, 100, false, false],
    [0, 100, 100, false, false], // slow means strictly greater than slowms
    [0, 101, 100, true, false], // logged whatever the level
    [1, 100, 100, false, false],
    [1, 101, 100, true, true],
    [2, 0, 100, false, true], // level 2 profiles everything, logs only slow operations
    [2, 101, 100, true, true],
    [1, 0, 0, false, false], // slowms 0 still needs at least 1 ms
    [1, 0, -1, true, true], // slowms -1 selects every operation
  ];
  for (const [level, durationMs, slowMs, log, profile] of cases) {
    test(`level ${level}, ${durationMs} ms, slowms ${slowMs}`, () => {
      const random = durationMs > slowMs ? new SeededRandom(1) : noDraws;
      assert.deepEqual(decide({ level, durationMs, slowMs, random }), { log, profile });
    });
  }

  test('sampleRate 0 selects nothing, even at level 1 with slowms -1', () => {
    assert.deepEqual(decide({ level: 1, slowMs: -1, sampleRate: 0 }), {
      log: false,
      profile: false,
    });
    assert.deepEqual(decide({ level: 2, slowMs: -1, sampleRate: 0 }), {
      log: false,
      profile: true,
    });
  });

  test('a verbose log logs every operation but level 1 still samples', () => {
    assert.deepEqual(decide({ level: 1, verbose: true, random: new SeededRandom(3) }), {
      log: true,
      profile: true,
    });
    const never = decide({ level: 1, verbose: true, sampleRate: 0 });
    assert.deepEqual(never, { log: true, profile: false });
  });

  test('sampleRate keeps about that fraction of slow operations, reproducibly by seed', () => {
    const run = (seed: number): boolean[] => {
      const random = new SeededRandom(seed);
      return Array.from({ length: 2000 }, () => {
        const decision = decide({ level: 1, durationMs: 500, sampleRate: 0.25, random });
        // Sampling decides logging and profiling together.
        assert.equal(decision.log, decision.profile);
        return decision.profile;
      });
    };
    const first = run(11);
    assert.deepEqual(run(11), first);
    const kept = first.filter(Boolean).length;
    assert.ok(kept > 400 && kept < 600, `kept ${kept} of 2000`);
  });
});

describe('decideProfiling with a filter', () => {
  test('the filter alone decides: slowms and sampleRate are ignored', () => {
    // profile_filter.js: {filter: {}, slowms: 9999, sampleRate: 0} still logs and profiles.
    assert.deepEqual(decide({ level: 1, slowMs: 9999, sampleRate: 0, filter: () => true }), {
      log: true,
      profile: true,
    });
    // {filter: {$expr: false}, slowms: -1, sampleRate: 1} never does.
    assert.deepEqual(decide({ level: 1, slowMs: -1, durationMs: 5, filter: () => false }), {
      log: false,
      profile: false,
    });
  });

  test('level 2 profiles what the filter rejects; level 0 profiles nothing', () => {
    assert.deepEqual(decide({ level: 2, filter: () => false }), { log: false, profile: true });
    assert.deepEqual(decide({ level: 0, filter: () => true }), { log: true, profile: false });
  });
});

describe('Profiler settings', () => {
  test('levels and filters are per database; slowms and sampleRate are global', () => {
    const profiler = new Profiler({ level: 1, slowMs: 50, sampleRate: 0.5 });
    assert.equal(profiler.level('a'), 1);
    profiler.update('a', { level: 2 });
    assert.equal(profiler.level('a'), 2);
    assert.equal(profiler.level('b'), 1);
    const filter = compileProfileFilter({ op: 'query' }, (doc) => compileFilter(doc));
    profiler.update('b', { filter });
    assert.equal(profiler.settings('b').filter, filter);
    assert.equal(profiler.level('b'), 1);
    profiler.update('b', { level: 0 });
    assert.equal(profiler.settings('b').filter, filter);
    profiler.update('b', { filter: null });
    assert.equal(profiler.settings('b').filter, undefined);
    assert.equal(profiler.slowMs, 50);
    assert.equal(profiler.sampleRate, 0.5);
  });
});

describe('profile filters', () => {
  const compile = (filter: BsonDocument) =>
    compileProfileFilter(filter, (doc) => compileFilter(doc));

  test('fields a profile document cannot have are error 4910200', () => {
    assert.throws(
      () => compile({ no_such_field: i(23), $or: [{ zzz: i(1) }, { millis: { $gt: i(1) } }] }),
      (error: MongoError) => {
        assert.equal(error.code, 4910200);
        assert.equal(error.codeName, 'Location4910200');
        assert.equal(
          error.message,
          'No such field (or fields) available for profile filter: no_such_field, zzz',
        );
        return true;
      },
    );
  });

  test('dotted paths are checked by their top-level field', () => {
    const filter = compile({ 'command.comment': 'x' });
    assert.equal(filter.matches({ command: { comment: 'x' } }), true);
    assert.equal(filter.matches({ command: {} }), false);
  });

  test('durationMillis is the log name of millis and matches it', () => {
    const filter = compile({ durationMillis: { $gte: new Int32(5) } });
    assert.equal(filter.matches({ millis: new Int32(7) }), true);
    assert.equal(filter.matches({ millis: new Int32(3) }), false);
  });

  test('an error while matching means no match', () => {
    const filter = compileProfileFilter({ op: 'query' }, () => () => {
      throw new MongoError('TypeMismatch', 'boom');
    });
    assert.equal(filter.matches({ op: 'query' }), false);
  });

  test('serialization splits predicates into $and and writes bare values as $eq', () => {
    const cases: [BsonDocument, BsonDocument][] = [
      // profile_filter.js
      [
        { millis: { $gt: i(100), $lt: i(300) } },
        { $and: [{ millis: { $gt: i(100) } }, { millis: { $lt: i(300) } }] },
      ],
      [{ op: 'query' }, { op: { $eq: 'query' } }],
      [{}, {}],
      [
        { op: 'query', millis: { $gte: i(1) } },
        { $and: [{ op: { $eq: 'query' } }, { millis: { $gte: i(1) } }] },
      ],
      [{ $or: [{ op: 'query' }] }, { $or: [{ op: { $eq: 'query' } }] }],
      [{ ns: { $regex: '^t', $options: 'i' } }, { ns: { $regex: '^t', $options: 'i' } }],
      [{ $expr: false }, { $expr: false }],
    ];
    for (const [filter, expected] of cases)
      assert.deepEqual(serializeProfileFilter(filter), expected);
  });
});

describe('mongod profiling options', () => {
  const optionsOf = (argv: string[]) =>
    serverOptionsFrom(parseMongodArgs(argv), argv, { port: 27017, dbPath: '/tmp/x' });

  test('--profile, --slowms and --slowOpSampleRate set the defaults and show in parsed', () => {
    const options = optionsOf(['--profile', '1', '--slowms=-1', '--slowOpSampleRate', '0.5']);
    assert.deepEqual(options.operationProfiling, {
      mode: 1,
      slowOpThresholdMs: -1,
      slowOpSampleRate: 0.5,
    });
    assert.deepEqual(options.parsed.operationProfiling, {
      mode: 'slowOp',
      slowOpThresholdMs: -1,
      slowOpSampleRate: 0.5,
    });
  });

  test('without them the server keeps mongod defaults', () => {
    assert.equal(optionsOf([]).operationProfiling, undefined);
    assert.deepEqual(optionsOf(['--slowms', '20']).operationProfiling, {
      mode: 0,
      slowOpThresholdMs: 20,
      slowOpSampleRate: 1,
    });
  });

  test('bad values are argument errors', () => {
    assert.throws(() => parseMongodArgs(['--profile', '3']), /Bad value for --profile/);
    assert.throws(() => parseMongodArgs(['--slowms', 'fast']), /Bad value for --slowms/);
    assert.throws(() => parseMongodArgs(['--slowOpSampleRate', '2']), /slowOpSampleRate/);
  });
});
