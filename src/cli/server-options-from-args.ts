/** From parsed mongod arguments to ServerOptions, with mongod's defaults. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OperationProfilingOptions, ServerOptions } from '../server/server-options.js';
import type { MongodArgs } from './parse-mongod-args.js';
import { ArgsError } from './parse-mongod-args.js';

export interface Defaults {
  port: number;
  dbPath: string;
}

export const mongodDefaults: Defaults = { port: 27017, dbPath: '/data/db' };

function engineOf(name: string | undefined): ServerOptions['storageEngine'] {
  if (name === undefined || name === 'wiredTiger') return 'wiredTiger';
  if (name === 'inMemory' || name === 'ephemeralForTest') return 'inMemory';
  throw new ArgsError(`Cannot start server with an unknown storage engine: ${name}`);
}

export function serverOptionsFrom(
  args: MongodArgs,
  argv: string[],
  defaults: Defaults,
): ServerOptions {
  const storageEngine = engineOf(args.storageEngine);
  const port = args.port ?? defaults.port;
  const bindIp = args.bindIpAll ? ['0.0.0.0'] : (args.bindIp ?? ['127.0.0.1']);
  const dbPath =
    storageEngine === 'inMemory'
      ? mkdtempSync(join(tmpdir(), 'shoal-inmemory-'))
      : (args.dbPath ?? defaults.dbPath);
  const parsed: Record<string, unknown> = {
    net: { port, bindIp: bindIp.join(',') },
    storage: { dbPath: args.dbPath ?? dbPath, engine: args.storageEngine ?? 'wiredTiger' },
  };
  if (args.replSet !== undefined) parsed.replication = { replSet: args.replSet };
  if (Object.keys(args.setParameters).length > 0) parsed.setParameter = args.setParameters;
  if (args.logPath !== undefined) parsed.systemLog = { destination: 'file', path: args.logPath };
  const operationProfiling = operationProfilingOf(args);
  if (operationProfiling !== undefined) parsed.operationProfiling = operationProfiling.parsed;
  return {
    port,
    bindIp,
    dbPath,
    replSet: args.replSet,
    storageEngine,
    logPath: args.logPath,
    parsed,
    argv,
    quiet: args.quiet ?? false,
    setParameters: args.setParameters,
    ...(operationProfiling === undefined ? {} : { operationProfiling: operationProfiling.options }),
  };
}

const modeNames = ['off', 'slowOp', 'all'] as const;

/** --profile, --slowms and --slowOpSampleRate, with mongod's defaults for the others. */
function operationProfilingOf(
  args: MongodArgs,
): { options: OperationProfilingOptions; parsed: Record<string, unknown> } | undefined {
  if (
    args.profile === undefined &&
    args.slowMs === undefined &&
    args.slowOpSampleRate === undefined
  )
    return undefined;
  const parsed: Record<string, unknown> = {};
  if (args.profile !== undefined) parsed.mode = modeNames[args.profile];
  if (args.slowMs !== undefined) parsed.slowOpThresholdMs = args.slowMs;
  if (args.slowOpSampleRate !== undefined) parsed.slowOpSampleRate = args.slowOpSampleRate;
  return {
    options: {
      mode: args.profile ?? 0,
      slowOpThresholdMs: args.slowMs ?? 100,
      slowOpSampleRate: args.slowOpSampleRate ?? 1,
    },
    parsed,
  };
}
