/**
 * `npm run bench`: starts a durable shoald on a temporary directory, loads the fixture,
 * measures the raw fsync rate of the same disk, then runs each workload at each client count
 * and prints a Markdown report (machine, table, group commit) for docs/benchmarks.md.
 *
 *   node dist/bench/run.js [name filter ...] [--seconds 3] [--warmup 1] [--rounds 3]
 *                          [--fsync-seconds 2] [--profile DIR]
 *
 * --profile DIR profiles the server process (bench/profile-preload.ts) and writes
 * DIR/shoald-<pid>.cpuprofile when it exits.
 */
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MongoClient } from 'mongodb';
import { systemClock } from '../src/platform/clock.js';
import { startServer } from '../test/helpers/server-process.js';
import { sleep } from '../src/platform/timers.js';
import { cpuWindow } from './cpu.js';
import type { CpuShares } from './cpu.js';
import { measureFsyncRate } from './fsync-rate.js';
import { describeMachine } from './machine.js';
import { measure } from './measure.js';
import { formatGroupCommit, formatTable, summarize } from './report.js';
import type { Result } from './report.js';
import { loadDocuments, workloads } from './workloads.js';
import type { Workload } from './workloads.js';

const clientsMax = 16;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seconds: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '1' },
    'fsync-seconds': { type: 'string', default: '2' },
    profile: { type: 'string' },
  },
});
const durationMs = Number(values.seconds) * 1000;
const warmupMs = Number(values.warmup) * 1000;
const rounds = Number(values.rounds);

// The baseline always runs: every other number is reported relative to it.
const selected = workloads.filter(
  (workload) =>
    workload.name === 'ping' ||
    positionals.length === 0 ||
    positionals.some((filter) => workload.name.includes(filter)),
);

async function cpuOverWindow(serverPid: number | undefined): Promise<CpuShares> {
  await sleep(warmupMs);
  const end = cpuWindow(serverPid, () => systemClock.monotonicMs());
  await sleep(durationMs);
  return end();
}

async function runWorkload(
  client: MongoClient,
  serverPid: number | undefined,
  workload: Workload,
  clients: number,
  round: number,
): Promise<Result> {
  const operation = workload.prepare(client.db('bench'));
  const cpu = cpuOverWindow(serverPid);
  const measurement = await measure({ workers: clients, warmupMs, durationMs, operation });
  const result = {
    workload: workload.name,
    clients,
    unit: workload.unit,
    round,
    measurement,
    cpu: await cpu,
  };
  process.stderr.write(
    `round ${round}: ${workload.name} × ${clients}: ${measurement.operations} ops\n`,
  );
  return result;
}

async function main(): Promise<void> {
  if (values.profile !== undefined) {
    // Only the server inherits these: this process has already started.
    mkdirSync(values.profile, { recursive: true });
    process.env.SHOAL_BENCH_PROFILE_DIR = resolve(values.profile);
    const preload = join(import.meta.dirname, 'profile-preload.js');
    process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import ${preload}`;
  }
  const loadAtStart = loadavg()[0] ?? NaN;
  const server = await startServer();
  const client = new MongoClient(server.uri, { maxPoolSize: clientsMax });
  const results: Result[] = [];
  try {
    await loadDocuments(client.db('bench'));
    const fsync = measureFsyncRate(server.dbPath, Number(values['fsync-seconds']) * 1000);
    // Whole rounds rather than repeats in place, so a slow minute on a shared machine lands
    // on every workload of one round instead of on all repeats of one workload.
    for (let round = 1; round <= rounds; round++) {
      for (const workload of selected) {
        for (const clients of workload.clients) {
          results.push(await runWorkload(client, server.child.pid, workload, clients, round));
        }
      }
    }
    const rows = summarize(results);
    const machine = describeMachine(server.dbPath);
    const groupCommit = rows.find((row) => row.workload.includes('j:true'));
    process.stdout.write(
      [
        `Date: ${new Date(systemClock.wallMs()).toISOString()}`,
        `Machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}`,
        `Disk: ${machine.disk}`,
        `Load average (1 min) at start and end: ${loadAtStart.toFixed(2)}, ${(loadavg()[0] ?? NaN).toFixed(2)} (other processes share these CPUs)`,
        `Each workload: ${values.warmup} s warm-up, ${values.seconds} s measured, ${rounds} rounds (medians); 16 clients = 16 async workers sharing one MongoClient (maxPoolSize 16).`,
        'CPU columns: busy share of one core over the measured window, for shoald and for this benchmark process (the driver).',
        '',
        formatTable(rows),
        '',
        formatGroupCommit(groupCommit, fsync),
        '',
      ].join('\n'),
    );
  } finally {
    await client.close();
    const code = await server.stop();
    server.cleanup();
    if (code !== 0) process.stderr.write(`shoald exited with ${code}\n`);
  }
}

await main();
