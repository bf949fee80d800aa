/**
 * A closed-loop load generator: N async workers each run one operation after another for a
 * warm-up and then a measured window [start, end). An operation counts when it completes in the
 * window, whenever it started, so long operations at the edges neither inflate nor starve
 * the rate (in steady state, completions per second is the throughput).
 */
import { systemClock } from '../src/platform/clock.js';
import type { Clock } from '../src/platform/clock.js';
import { assert } from '../src/util/assert.js';

export interface MeasureOptions {
  workers: number;
  warmupMs: number;
  durationMs: number;
  /** One operation by worker `worker`; resolves with the units it did (documents, queries). */
  operation: (worker: number) => Promise<number>;
  clock?: Clock;
}

export interface Measurement {
  operations: number;
  units: number;
  durationMs: number;
  /** Latency quantiles of the counted operations, in milliseconds. */
  p50Ms: number;
  p99Ms: number;
}

export async function measure(options: MeasureOptions): Promise<Measurement> {
  assert(options.workers >= 1, 'at least one worker');
  assert(options.durationMs > 0, 'a measured window');
  const clock = options.clock ?? systemClock;
  const windowStart = clock.monotonicMs() + options.warmupMs;
  const windowEnd = windowStart + options.durationMs;
  const latencies: number[] = [];
  let units = 0;
  const worker = async (id: number): Promise<void> => {
    for (let started = clock.monotonicMs(); started < windowEnd; started = clock.monotonicMs()) {
      const done = await options.operation(id);
      const finished = clock.monotonicMs();
      if (finished < windowStart || finished >= windowEnd) continue;
      latencies.push(finished - started);
      units += done;
    }
  };
  await Promise.all(Array.from({ length: options.workers }, (_, id) => worker(id)));
  latencies.sort((a, b) => a - b);
  return {
    operations: latencies.length,
    units,
    durationMs: options.durationMs,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
  };
}

/** The nearest-rank quantile of sorted values; NaN when there are none. */
export function quantile(sorted: readonly number[], q: number): number {
  assert(q >= 0 && q <= 1, 'a quantile is in [0, 1]');
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

export function perSecond(count: number, durationMs: number): number {
  return (count * 1000) / durationMs;
}
