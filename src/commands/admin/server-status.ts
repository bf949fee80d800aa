/** serverStatus: the counters monitoring tools (and the mongodb exporter) read. */
import { hostname } from 'node:os';
import { Double, Int32, Long } from 'bson';
import type { CommandSpec } from '../context.js';
import { serverVersion } from '../../server/version.js';

function counter(value: number): Long {
  return Long.fromNumber(value);
}

export const serverStatusCommand: CommandSpec = {
  name: 'serverStatus',
  help: 'Returns server-wide counters: connections, opcounters, memory, uptime.',
  handler: ({ server }) => {
    const uptimeMs = server.clock.monotonicMs() - server.startedAtMonotonicMs;
    const memory = process.memoryUsage();
    const { opcounters } = server;
    return {
      host: `${hostname()}:${server.port}`,
      version: serverVersion,
      process: 'mongod',
      pid: Long.fromNumber(process.pid),
      uptime: new Double(Math.floor(uptimeMs / 1000)),
      uptimeMillis: Long.fromNumber(Math.floor(uptimeMs)),
      uptimeEstimate: Long.fromNumber(Math.floor(uptimeMs / 1000)),
      localTime: new Date(server.clock.wallMs()),
      connections: {
        current: new Int32(server.connections.size),
        available: new Int32(838860 - server.connections.size),
        totalCreated: new Int32(server.connectionCounters.totalCreated),
        active: new Int32(server.operations.size),
      },
      opcounters: {
        insert: counter(opcounters.insert),
        query: counter(opcounters.query),
        update: counter(opcounters.update),
        delete: counter(opcounters.delete),
        getmore: counter(opcounters.getmore),
        command: counter(opcounters.command),
      },
      mem: {
        bits: new Int32(64),
        resident: new Int32(Math.round(memory.rss / 1024 / 1024)),
        virtual: new Int32(Math.round((memory.rss + memory.external) / 1024 / 1024)),
        supported: true,
      },
      metrics: {
        cursor: {
          timedOut: counter(0),
          open: {
            total: counter(server.cursors.all().length),
            noTimeout: counter(0),
            pinned: counter(0),
          },
        },
      },
      storageEngine: {
        name: server.options.storageEngine,
        supportsCommittedReads: true,
        persistent: server.options.storageEngine !== 'inMemory',
      },
      ok: 1,
    };
  },
};
