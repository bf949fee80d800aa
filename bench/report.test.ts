/** The arithmetic behind the published numbers: window accounting, quantiles, ratios, targets. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../src/platform/clock.js';
import { measure, quantile } from './measure.js';
import type { Measurement } from './measure.js';
import { formatGroupCommit, formatTable, pingBaseline, targetVerdicts } from './report.js';
import type { Result } from './report.js';

function result(workload: string, clients: number, operations: number, units = operations): Result {
  const measurement: Measurement = { operations, units, durationMs: 1000, p50Ms: 1, p99Ms: 2 };
  return { workload, clients, unit: units === operations ? undefined : 'docs', measurement };
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

describe('quantile (nearest rank)', () => {
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
});

describe('ratios and targets', () => {
  const results = [result('ping', 1, 1000), result('ping', 16, 4000)];

  test('the baseline is ping at the same client count', () => {
    assert.equal(pingBaseline(results, 16), 4000);
    assert.equal(pingBaseline(results, 4), undefined);
  });

  test('find by _id passes at exactly 70 % of ping and misses just below', () => {
    assert.deepEqual(targetVerdicts(result('find by _id', 1, 700), 1000), ['≥ 70 % of ping: PASS']);
    assert.deepEqual(targetVerdicts(result('find by _id', 1, 699), 1000), ['≥ 70 % of ping: MISS']);
  });

  test('insertMany is judged on documents per second, not calls', () => {
    const fast = result('insertMany (1000 docs)', 16, 100, 100_000);
    const slow = result('insertMany (1000 docs)', 16, 99, 99_000);
    assert.deepEqual(targetVerdicts(fast, 4000), ['≥ 100k docs/s: PASS']);
    assert.deepEqual(targetVerdicts(slow, 4000), ['≥ 100k docs/s: MISS']);
  });

  test('the table gives each row its ratio to ping and its verdicts', () => {
    const table = formatTable([...results, result('find by _id', 16, 3000)]).split('\n');
    assert.equal(table[2], '| ping | 1 | 1,000 | 1.00 |  | 1.00 | 2.00 |  |');
    assert.equal(
      table[4],
      '| find by _id | 16 | 3,000 | 0.75 |  | 1.00 | 2.00 | ≥ 70 % of ping: PASS |',
    );
  });

  test('group commit is reported as a multiple of the raw fsync rate', () => {
    const line = formatGroupCommit(result('insertOne j:true', 16, 3000), {
      syncs: 1000,
      durationMs: 1000,
      perSecond: 1000,
    });
    assert.match(line, /= 3\.00 × the raw fsync rate$/);
  });
});
