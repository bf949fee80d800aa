/**
 * Turning measurements into the published table. Every rate is also given as a ratio to
 * `ping` at the same client count in the same run: absolute numbers depend on the machine,
 * ratios say how much work Shoal adds on top of a round trip, and that is what targets use.
 */
import type { FsyncRate } from './fsync-rate.js';
import type { Measurement } from './measure.js';
import { perSecond } from './measure.js';

export interface Result {
  workload: string;
  clients: number;
  unit: string | undefined;
  measurement: Measurement;
}

/** A goal from the issue, checked per row it applies to. Reported, never enforced. */
export interface Target {
  appliesTo: (result: Result) => boolean;
  description: string;
  met: (result: Result, pingOpsPerSecond: number) => boolean;
}

export const targets: readonly Target[] = [
  {
    appliesTo: (result) => result.workload === 'find by _id',
    description: '≥ 70 % of ping',
    met: (result, ping) => operationsPerSecond(result) >= 0.7 * ping,
  },
  {
    appliesTo: (result) => result.workload.startsWith('insertMany'),
    description: '≥ 100k docs/s',
    met: (result) => unitsPerSecond(result) >= 100_000,
  },
];

export function operationsPerSecond(result: Result): number {
  return perSecond(result.measurement.operations, result.measurement.durationMs);
}

export function unitsPerSecond(result: Result): number {
  return perSecond(result.measurement.units, result.measurement.durationMs);
}

/** The ping rate at the same client count, the denominator of every ratio. */
export function pingBaseline(results: readonly Result[], clients: number): number | undefined {
  const ping = results.find((result) => result.workload === 'ping' && result.clients === clients);
  return ping === undefined ? undefined : operationsPerSecond(ping);
}

export function targetVerdicts(result: Result, ping: number | undefined): string[] {
  return targets
    .filter((target) => target.appliesTo(result))
    .map((target) => {
      if (ping === undefined) return `${target.description}: no ping baseline`;
      return `${target.description}: ${target.met(result, ping) ? 'PASS' : 'MISS'}`;
    });
}

function number(value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (value >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toPrecision(3);
}

export function formatTable(results: readonly Result[]): string {
  const lines = [
    '| Workload | Clients | ops/s | × ping | units/s | p50 ms | p99 ms | Target |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const result of results) {
    const ping = pingBaseline(results, result.clients);
    const operations = operationsPerSecond(result);
    const ratio = ping === undefined ? '–' : (operations / ping).toFixed(2);
    const units =
      result.unit === undefined ? '' : `${number(unitsPerSecond(result))} ${result.unit}/s`;
    const { p50Ms, p99Ms } = result.measurement;
    const verdicts = targetVerdicts(result, ping).join('; ');
    lines.push(
      `| ${result.workload} | ${result.clients} | ${number(operations)} | ${ratio} | ${units} | ${number(p50Ms)} | ${number(p99Ms)} | ${verdicts} |`,
    );
  }
  return lines.join('\n');
}

/** Group commit: how many acknowledged j:true writes each raw fsync of the disk is worth. */
export function formatGroupCommit(result: Result | undefined, fsync: FsyncRate): string {
  const raw = `raw fsync rate: ${number(fsync.perSecond)} fdatasync/s (4 KiB overwrite, one thread)`;
  if (result === undefined) return raw;
  const ratio = operationsPerSecond(result) / fsync.perSecond;
  return `${raw}; ${result.workload} at ${result.clients} clients: ${number(operationsPerSecond(result))} ops/s = ${ratio.toFixed(2)} × the raw fsync rate`;
}
