/**
 * Turning measurements into the published table. Every rate is also given as a ratio to
 * `ping` at the same client count in the same round: absolute numbers depend on the machine
 * and on whatever else it is doing, ratios say how much work Shoal adds on top of a round
 * trip, and that is what targets use. With several rounds each figure is the median.
 */
import type { CpuShares } from './cpu.js';
import type { FsyncRate } from './fsync-rate.js';
import type { Measurement } from './measure.js';
import { perSecond } from './measure.js';

export interface Result {
  workload: string;
  clients: number;
  unit: string | undefined;
  round: number;
  measurement: Measurement;
  cpu?: CpuShares;
}

/** One table row: a workload at one client count, medians over the rounds. */
export interface Row {
  workload: string;
  clients: number;
  unit: string | undefined;
  rounds: number;
  operationsPerSecond: number;
  unitsPerSecond: number;
  /** Median over rounds of this round's ops/s over the same round's ping at the same clients. */
  ratioToPing: number | undefined;
  /** The lowest and highest per-round ratio: how noisy the machine was for this row. */
  ratioRange: [number, number] | undefined;
  p50Ms: number;
  p99Ms: number;
  serverCpu: number | undefined;
  benchCpu: number | undefined;
}

/** A goal from the issue, checked per row it applies to. Reported, never enforced. */
export interface Target {
  appliesTo: (row: Row) => boolean;
  description: string;
  /** Undefined when the row lacks what the target needs (a ping baseline). */
  met: (row: Row) => boolean | undefined;
}

export const targets: readonly Target[] = [
  {
    appliesTo: (row) => row.workload === 'find by _id',
    description: '≥ 70 % of ping',
    met: (row) => (row.ratioToPing === undefined ? undefined : row.ratioToPing >= 0.7),
  },
  {
    appliesTo: (row) => row.workload.startsWith('insertMany'),
    description: '≥ 100k docs/s',
    met: (row) => row.unitsPerSecond >= 100_000,
  },
];

/** The median; the mean of the middle two for an even count; NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function optionalMedian(values: readonly (number | undefined)[]): number | undefined {
  const known = values.filter((value): value is number => value !== undefined);
  return known.length === 0 ? undefined : median(known);
}

function range(values: readonly (number | undefined)[]): [number, number] | undefined {
  const known = values.filter((value): value is number => value !== undefined);
  return known.length < 2 ? undefined : [Math.min(...known), Math.max(...known)];
}

const operationsRate = (result: Result): number =>
  perSecond(result.measurement.operations, result.measurement.durationMs);

/** Groups results by workload and client count, in first-run order, into median rows. */
export function summarize(results: readonly Result[]): Row[] {
  const groups = new Map<string, Result[]>();
  for (const result of results) {
    const key = `${result.workload}\u0000${result.clients}`;
    groups.set(key, [...(groups.get(key) ?? []), result]);
  }
  const ping = (round: number, clients: number): Result | undefined =>
    results.find(
      (result) =>
        result.workload === 'ping' && result.round === round && result.clients === clients,
    );
  return [...groups.values()].map((group) => {
    const first = group[0]!;
    const ratios = group.map((result) => {
      const baseline = ping(result.round, result.clients);
      return baseline === undefined ? undefined : operationsRate(result) / operationsRate(baseline);
    });
    return {
      workload: first.workload,
      clients: first.clients,
      unit: first.unit,
      rounds: group.length,
      operationsPerSecond: median(group.map(operationsRate)),
      unitsPerSecond: median(
        group.map((result) => perSecond(result.measurement.units, result.measurement.durationMs)),
      ),
      ratioToPing: optionalMedian(ratios),
      ratioRange: range(ratios),
      p50Ms: median(group.map((result) => result.measurement.p50Ms)),
      p99Ms: median(group.map((result) => result.measurement.p99Ms)),
      serverCpu: optionalMedian(group.map((result) => result.cpu?.server)),
      benchCpu: optionalMedian(group.map((result) => result.cpu?.bench)),
    };
  });
}

export function targetVerdicts(row: Row): string[] {
  return targets
    .filter((target) => target.appliesTo(row))
    .map((target) => {
      const met = target.met(row);
      return `${target.description}: ${met === undefined ? 'no baseline' : met ? 'PASS' : 'MISS'}`;
    });
}

function number(value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (value >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toPrecision(3);
}

function percent(share: number | undefined): string {
  return share === undefined ? '–' : `${Math.round(share * 100)} %`;
}

export function formatTable(rows: readonly Row[]): string {
  const lines = [
    '| Workload | Clients | ops/s | × ping | units/s | p50 ms | p99 ms | shoald CPU | bench CPU | Target |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const row of rows) {
    const spread =
      row.ratioRange === undefined
        ? ''
        : ` (${row.ratioRange.map((value) => value.toFixed(2)).join('–')})`;
    const ratio = row.ratioToPing === undefined ? '–' : `${row.ratioToPing.toFixed(2)}${spread}`;
    const units = row.unit === undefined ? '' : `${number(row.unitsPerSecond)} ${row.unit}/s`;
    const cells = [
      row.workload,
      String(row.clients),
      number(row.operationsPerSecond),
      ratio,
      units,
      number(row.p50Ms),
      number(row.p99Ms),
      percent(row.serverCpu),
      percent(row.benchCpu),
      targetVerdicts(row).join('; '),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** Group commit: how many acknowledged j:true writes each raw fsync of the disk is worth. */
export function formatGroupCommit(row: Row | undefined, fsync: FsyncRate): string {
  const raw = `raw fsync rate: ${number(fsync.perSecond)} fdatasync/s (4 KiB overwrite, one thread)`;
  if (row === undefined) return raw;
  const ratio = row.operationsPerSecond / fsync.perSecond;
  return `${raw}; ${row.workload} at ${row.clients} clients: ${number(row.operationsPerSecond)} ops/s = ${ratio.toFixed(2)} × the raw fsync rate`;
}
