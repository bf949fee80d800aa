/**
 * Read-only diagnostics: getCmdLineOpts, getLog, connectionStatus, hostInfo, whatsmyuri.
 * Small enough to share a file; each is its own CommandSpec.
 */
import { arch, cpus, hostname, totalmem, type as osType, release } from 'node:os';
import { Int32, Long } from 'bson';
import { MongoError } from '../../errors/mongo-error.js';
import { bsonToString } from '../../bson/to-string.js';
import type { CommandSpec } from '../context.js';

export const getCmdLineOptsCommand: CommandSpec = {
  name: 'getCmdLineOpts',
  adminOnly: true,
  help: 'Returns the command line and the parsed options.',
  handler: ({ server }) => ({ argv: server.options.argv, parsed: server.options.parsed, ok: 1 }),
};

export const getLogCommand: CommandSpec = {
  name: 'getLog',
  adminOnly: true,
  help: "Returns recent log lines: getLog: 'global' | 'startupWarnings' | '*'.",
  handler: ({ server, request }) => {
    const which = request.body.getLog;
    if (which === '*') return { names: ['global', 'startupWarnings'], ok: 1 };
    if (which !== 'global' && which !== 'startupWarnings') {
      throw new MongoError('InvalidOptions', `No log named '${bsonToString(which)}'`);
    }
    const log = which === 'global' ? server.log.recent() : server.log.startupWarnings();
    return { totalLinesWritten: new Int32(log.length), log, ok: 1 };
  },
};

export const connectionStatusCommand: CommandSpec = {
  name: 'connectionStatus',
  help: 'Returns the authenticated users and roles of this connection (none without auth).',
  handler: ({ request }) => {
    const authInfo: Record<string, unknown> = {
      authenticatedUsers: [],
      authenticatedUserRoles: [],
    };
    if (request.body.showPrivileges === true) authInfo.authenticatedUserPrivileges = [];
    return { authInfo, ok: 1 };
  },
};

export const hostInfoCommand: CommandSpec = {
  name: 'hostInfo',
  help: 'Returns facts about the host machine.',
  handler: ({ server }) => ({
    system: {
      currentTime: new Date(server.clock.wallMs()),
      hostname: hostname(),
      cpuAddrSize: new Int32(64),
      memSizeMB: Long.fromNumber(Math.round(totalmem() / 1024 / 1024)),
      numCores: new Int32(cpus().length),
      cpuArch: arch(),
      numaEnabled: false,
    },
    os: { type: osType(), name: osType(), version: release() },
    extra: { versionString: `${osType()} ${release()}` },
    ok: 1,
  }),
};

export const whatsmyuriCommand: CommandSpec = {
  name: 'whatsmyuri',
  help: "Returns the client's address as the server sees it.",
  handler: ({ connection }) => ({ you: connection.remoteAddress, ok: 1 }),
};
