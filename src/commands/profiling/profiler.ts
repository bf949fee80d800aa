/**
 * The profiler's settings and the one decision it makes per operation: write a "Slow
 * query" log line, a system.profile entry, both or neither. As in mongod, the level and
 * filter belong to a database while slowms and sampleRate are global; the decision
 * itself (CurOp::completeAndLogOperation) is a pure function of them.
 */
import type { Random } from '../../platform/random.js';
import type { ServerState } from '../context.js';
import type { ProfileFilter } from './profile-filter.js';

/** 0: off; 1: operations selected by slowms/sampleRate or the filter; 2: every operation. */
export type ProfileLevel = 0 | 1 | 2;

export interface DatabaseProfileSettings {
  readonly level: ProfileLevel;
  readonly filter: ProfileFilter | undefined;
}

/** mongod's defaults: --profile 0, --slowms 100, --slowOpSampleRate 1.0. */
export const profileDefaults = { level: 0 as ProfileLevel, slowMs: 100, sampleRate: 1 };

export interface ProfilerDefaults {
  level: ProfileLevel;
  slowMs: number;
  sampleRate: number;
  filter?: ProfileFilter | undefined;
}

export class Profiler {
  /** Operations slower than this many whole milliseconds are "slow" (strictly greater). */
  slowMs: number;
  /** The fraction of slow operations that are logged and profiled. */
  sampleRate: number;
  private readonly databases = new Map<string, DatabaseProfileSettings>();
  private readonly fallback: DatabaseProfileSettings;

  constructor(defaults: ProfilerDefaults = profileDefaults) {
    this.slowMs = defaults.slowMs;
    this.sampleRate = defaults.sampleRate;
    this.fallback = { level: defaults.level, filter: defaults.filter };
  }

  settings(database: string): DatabaseProfileSettings {
    return this.databases.get(database) ?? this.fallback;
  }

  level(database: string): ProfileLevel {
    return this.settings(database).level;
  }

  /** Back to the defaults: a dropped database forgets its settings, as in mongod. */
  clear(database: string): void {
    this.databases.delete(database);
  }

  /** Changes a database's level and/or filter (null removes the filter). */
  update(database: string, change: { level?: ProfileLevel; filter?: ProfileFilter | null }): void {
    const current = this.settings(database);
    const filter = change.filter === undefined ? current.filter : (change.filter ?? undefined);
    this.databases.set(database, { level: change.level ?? current.level, filter });
  }
}

export interface ProfileDecisionInput {
  /** The database's level, or 0 for operations the profiler never records. */
  level: ProfileLevel;
  /** Whole milliseconds the operation took. */
  durationMs: number;
  slowMs: number;
  sampleRate: number;
  /** The COMMAND log verbosity is at least 1: every operation is logged. */
  verbose: boolean;
  random: Random;
  /** Evaluates the database's filter, when one is set. */
  filter: (() => boolean) | undefined;
}

export interface ProfileDecision {
  log: boolean;
  profile: boolean;
}

function sampled(sampleRate: number, random: Random): boolean {
  if (sampleRate >= 1) return true;
  if (sampleRate <= 0) return false;
  return random.next() < sampleRate;
}

/**
 * mongod's rule: a filter, when set, alone decides both outputs. Otherwise an operation
 * is logged when it is slower than slowms and sampled (or the log is verbose), and level
 * 1 profiles what is logged and sampled. Level 2 profiles everything. The random draw is
 * made only when it can change the answer, so fast operations cost no randomness.
 */
export function decideProfiling(input: ProfileDecisionInput): ProfileDecision {
  let log: boolean;
  let selected: boolean;
  if (input.filter !== undefined) {
    log = input.filter();
    selected = log;
  } else {
    const slow = input.durationMs > input.slowMs;
    const sample = (slow || input.verbose) && sampled(input.sampleRate, input.random);
    log = input.verbose || (slow && sample);
    selected = log && sample;
  }
  const profile = input.level === 2 || (input.level === 1 && selected);
  return { log, profile };
}

const profilers = new WeakMap<ServerState, Profiler>();

/**
 * The server's profiler, created on first use from the server options (--profile,
 * --slowms, --slowOpSampleRate). Kept beside the server rather than in it so the server
 * shell needs no knowledge of profiling.
 */
export function profilerOf(server: ServerState): Profiler {
  let profiler = profilers.get(server);
  if (profiler === undefined) {
    const options = server.options.operationProfiling;
    profiler = new Profiler(
      options === undefined
        ? profileDefaults
        : {
            level: options.mode,
            slowMs: options.slowOpThresholdMs,
            sampleRate: options.slowOpSampleRate,
          },
    );
    profilers.set(server, profiler);
  }
  return profiler;
}
