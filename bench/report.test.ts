/** The arithmetic behind the published numbers: window accounting, quantiles, medians, targets. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../src/platform/clock.js';
import { measure, quantile } from './measure.js';
import { formatGroupCommit, formatTable, median, summarize, targetVerdicts } from './report.js';
import type { Result, Row } from './report.js';

function result(
  workload: string,
  clients: number,
  operations: number,
  round = 1,
  units = operations,
): Result {
  return {
    workload,
    clients,
    round,
    unit: units === operations ? undefined : 'docs',
    measurement: { operations, units, durationMs: 1000, p50Ms: 1, p99Ms: 2 },
  };
}

function row(workload: string, fields: Partial<Row>): Row {
  return {
    workload,
    clients: 1,
    unit: undefined,
    rounds: 1,
    operationsPerSecond: 1000,
    unitsPerSecond: 1000,
    ratioToPing: 1,
    ratioRange: undefined,
    p50Ms: 1,
    p99Ms: 2,
    serverCpu: undefined,
    benchCpu: undefined,
    ...fields,
  };
}

describe('measure', () => {
  test('counts the operations that complete inside [warm-up end, window end)', async () => {
    const clock = new ManualClock(5000);
    const measurement = await measure({
      workers: 1,
      warmupMs: 100,
      durationMs: 1000,
      clock,
      operation: () => {
        clock.advance(10);
        return Promise.resolve(3);
      },
    });
    // Completions at 5100, 5110, … 6090 fall inside [5100, 6100): 100 of them; 6100 does not.
    assert.equal(measurement.operations, 100);
    assert.equal(measurement.units, 300);
    assert.equal(measurement.p50Ms, 10);
    assert.equal(measurement.p99Ms, 10);
  });
});

describe('quantile (nearest rank) and median', () => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1);
  for (const [q, expected] of [
    [0, 1],
    [0.5, 50],
    [0.99, 99],
    [1, 100],
  ] as const) {
    test(`q=${q} of 1…100 is ${expected}`, () => assert.equal(quantile(values, q), expected));
  }
  test('no values: NaN', () => assert.ok(Number.isNaN(quantile([], 0.5))));
  test('median of odd and even counts', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });
});

describe('summarize', () => {
  test('each round is divided by the ping of the same round and client count', () => {
    const rows = summarize([
      result('ping', 1, 1000, 1),
      result('find by _id', 1, 800, 1),
      result('ping', 1, 2000, 2),
      result('find by _id', 1, 1000, 2),
      result('ping', 1, 1000, 3),
      result('find by _id', 1, 600, 3),
    ]);
    const find = rows.find((candidate) => candidate.workload === 'find by _id');
    // Per-round ratios 0.8, 0.5, 0.6: the median ratio is 0.6, the median rate 800.
    assert.equal(find?.ratioToPing, 0.6);
    assert.deepEqual(find?.ratioRange, [0.5, 0.8]);
    assert.equal(find?.operationsPerSecond, 800);
    assert.equal(find?.rounds, 3);
  });

  test('without a ping at that client count there is no ratio', () => {
    const [only] = summarize([result('find by _id', 16, 800)]);
    assert.equal(only?.ratioToPing, undefined);
    assert.deepEqual(targetVerdicts(only!), ['≥ 70 % of ping: no baseline']);
  });
});

describe('targets and formatting', () => {
  test('find by _id passes at exactly 70 % of ping and misses just below', () => {
    assert.deepEqual(targetVerdicts(row('find by _id', { ratioToPing: 0.7 })), [
      '≥ 70 % of ping: PASS',
    ]);
    assert.deepEqual(targetVerdicts(row('find by _id', { ratioToPing: 0.69 })), [
      '≥ 70 % of ping: MISS',
    ]);
  });

  test('insertMany is judged on documents per second, not calls', () => {
    const fast = row('insertMany (1000 docs)', {
      operationsPerSecond: 100,
      unitsPerSecond: 100_000,
    });
    const slow = row('insertMany (1000 docs)', { operationsPerSecond: 99, unitsPerSecond: 99_000 });
    assert.deepEqual(targetVerdicts(fast), ['≥ 100k docs/s: PASS']);
    assert.deepEqual(targetVerdicts(slow), ['≥ 100k docs/s: MISS']);
  });

  test('the ratio shows its per-round range when there are several rounds', () => {
    const [, , line] = formatTable([
      row('find by _id', { ratioToPing: 0.75, ratioRange: [0.6, 0.8] }),
    ]).split('\n');
    assert.match(line ?? '', /^\| find by _id \| 1 \| 1,000 \| 0\.75 \(0\.60–0\.80\) \|/);
  });

  test('a table row carries rate, ratio, units, latency, CPU shares and verdicts', () => {
    const find = row('find by _id', {
      clients: 16,
      operationsPerSecond: 3000,
      ratioToPing: 0.75,
      serverCpu: 0.5,
      benchCpu: 1.02,
    });
    const many = row('insertMany (1000 docs)', {
      unit: 'docs',
      operationsPerSecond: 61,
      unitsPerSecond: 61_000,
      ratioToPing: undefined,
    });
    const [, , findLine, manyLine] = formatTable([find, many]).split('\n');
    assert.equal(
      findLine,
      '| find by _id | 16 | 3,000 | 0.75 |  | 1.00 | 2.00 | 50 % | 102 % | ≥ 70 % of ping: PASS |',
    );
    assert.equal(
      manyLine,
      '| insertMany (1000 docs) | 1 | 61.0 | – | 61,000 docs/s | 1.00 | 2.00 | – | – | ≥ 100k docs/s: MISS |',
    );
  });

  test('group commit is reported as a multiple of the raw fsync rate', () => {
    const line = formatGroupCommit(
      row('insertOne j:true', { clients: 16, operationsPerSecond: 3000 }),
      { syncs: 1000, durationMs: 1000, perSecond: 1000 },
    );
    assert.match(line, /= 3\.00 × the raw fsync rate$/);
  });
});
