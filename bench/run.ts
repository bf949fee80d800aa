/**
 * `npm run bench`: starts a durable shoald on a temporary directory, loads the fixture,
 * measures the raw fsync rate of the same disk, then runs each workload at each client count
 * and prints a Markdown report (machine, table, group commit) for docs/benchmarks.md.
 *
 *   node dist/bench/run.js [name filter ...] [--seconds 3] [--warmup 1] [--profile DIR]
 *
 * --profile passes --cpu-prof to the server process (the profile is written when it exits).
 */
import { parseArgs } from 'node:util';
import { MongoClient } from 'mongodb';
import { systemClock } from '../src/platform/clock.js';
import { startServer } from '../test/helpers/server-process.js';
import { measureFsyncRate } from './fsync-rate.js';
import { describeMachine } from './machine.js';
import { measure } from './measure.js';
import { formatGroupCommit, formatTable } from './report.js';
import type { Result } from './report.js';
import { laterWorkloads } from './later-workloads.js';
import { loadDocuments, workloads } from './workloads.js';
import type { Workload } from './workloads.js';

const clientsMax = 16;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seconds: { type: 'string', default: '3' },
    warmup: { type: 'string', default: '1' },
    'fsync-seconds': { type: 'string', default: '2' },
    profile: { type: 'string' },
  },
});
const durationMs = Number(values.seconds) * 1000;
const warmupMs = Number(values.warmup) * 1000;

// The baseline always runs: every other number is reported relative to it.
const selected = [...workloads, ...laterWorkloads].filter(
  (workload) =>
    workload.name === 'ping' ||
    positionals.length === 0 ||
    positionals.some((filter) => workload.name.includes(filter)),
);

async function runWorkload(
  client: MongoClient,
  workload: Workload,
  clients: number,
): Promise<Result> {
  const operation = workload.prepare(client.db('bench'));
  const measurement = await measure({ workers: clients, warmupMs, durationMs, operation });
  const result = { workload: workload.name, clients, unit: workload.unit, measurement };
  process.stderr.write(`${workload.name} × ${clients}: ${measurement.operations} operations\n`);
  return result;
}

async function main(): Promise<void> {
  if (values.profile !== undefined) {
    process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --cpu-prof --cpu-prof-dir=${values.profile}`;
  }
  const server = await startServer();
  const client = new MongoClient(server.uri, { maxPoolSize: clientsMax });
  const results: Result[] = [];
  try {
    await loadDocuments(client.db('bench'));
    const fsync = measureFsyncRate(server.dbPath, Number(values['fsync-seconds']) * 1000);
    for (const workload of selected) {
      for (const clients of workload.clients)
        results.push(await runWorkload(client, workload, clients));
    }
    const machine = describeMachine(server.dbPath);
    const groupCommit = results.find((result) => result.workload.includes('j:true'));
    process.stdout.write(
      [
        `Date: ${new Date(systemClock.wallMs()).toISOString()}`,
        `Machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}`,
        `Disk: ${machine.disk}`,
        `Each workload: ${values.warmup} s warm-up, ${values.seconds} s measured; 16 clients = 16 async workers sharing one MongoClient (maxPoolSize 16).`,
        '',
        formatTable(results),
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
