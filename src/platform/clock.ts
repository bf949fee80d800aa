/**
 * Time, injected. Everything that needs the wall clock or a monotonic clock takes a
 * Clock, so tests and the simulator can control time; this file is one of the few places
 * allowed to read the real clocks.
 */
import { performance } from 'node:perf_hooks';

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  wallMs(): number;
  /** Milliseconds from an arbitrary origin that never goes backwards. */
  monotonicMs(): number;
}

export const systemClock: Clock = {
  wallMs: () => Date.now(),
  monotonicMs: () => performance.now(),
};

/** A clock that only moves when told to, for deterministic tests. */
export class ManualClock implements Clock {
  constructor(private nowMs = 0) {}
  wallMs(): number {
    return this.nowMs;
  }
  monotonicMs(): number {
    return this.nowMs;
  }
  advance(ms: number): void {
    this.nowMs += ms;
  }
}
