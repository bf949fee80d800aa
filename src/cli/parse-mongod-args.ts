/**
 * mongod's command line, as mongodb-memory-server, mongodb-runner and people type it.
 * Options Shoal has no use for but tools pass routinely are accepted and ignored (listed
 * in `ignoredOptions`); anything unknown is an error, as with mongod (exit code 2).
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

export interface MongodArgs {
  port?: number;
  dbPath?: string;
  bindIp?: string[];
  bindIpAll?: boolean;
  replSet?: string;
  storageEngine?: string;
  logPath?: string;
  quiet?: boolean;
  version?: boolean;
  help?: boolean;
  /** --profile: the level every database starts with. */
  profile?: 0 | 1 | 2;
  slowMs?: number;
  slowOpSampleRate?: number;
  setParameters: Record<string, string>;
}

export class ArgsError extends Error {}

const valueOptions = new Set([
  'port',
  'dbpath',
  'bind_ip',
  'replSet',
  'storageEngine',
  'config',
  'f',
  'logpath',
  'setParameter',
  'profile',
  'slowms',
  'slowOpSampleRate',
]);
const flagOptions = new Set([
  'bind_ip_all',
  'nounixsocket',
  'version',
  'help',
  'h',
  'quiet',
  'logappend',
  'noauth',
  'ipv6',
  'journal',
  'nojournal',
]);
/** Passed by common tools; meaningless for Shoal, so accepted and ignored. */
const ignoredOptions = new Set([
  'oplogSize',
  'wiredTigerCacheSizeGB',
  'keyFile',
  'auth',
  'tlsMode',
  'sslMode',
  'unixSocketPrefix',
  'pidfilepath',
  'timeStampFormat',
  'verbose',
  'enableMajorityReadConcern',
  'inMemorySizeGB',
  'maxConns',
  'transitionToAuth',
]);
const ignoredWithValue = new Set([
  'oplogSize',
  'wiredTigerCacheSizeGB',
  'keyFile',
  'tlsMode',
  'sslMode',
  'unixSocketPrefix',
  'pidfilepath',
  'timeStampFormat',
  'inMemorySizeGB',
  'maxConns',
]);

function toPort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ArgsError(`port number ${text} out of range`);
  return port;
}

const profileModes: Record<string, 0 | 1 | 2> = { off: 0, slowOp: 1, all: 2 };

function toProfileLevel(text: string): 0 | 1 | 2 {
  if (text !== '0' && text !== '1' && text !== '2')
    throw new ArgsError(`Bad value for --profile: ${text} (expected 0, 1 or 2)`);
  return Number(text) as 0 | 1 | 2;
}

function toSlowMs(text: string): number {
  const number = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(number))
    throw new ArgsError(`Bad value for --slowms: ${text}`);
  return number;
}

function toSampleRate(text: string): number {
  const rate = Number(text);
  if (text.trim() === '' || !(rate >= 0 && rate <= 1))
    throw new ArgsError(`Bad value for --slowOpSampleRate: ${text} (expected 0.0 to 1.0)`);
  return rate;
}

function apply(args: MongodArgs, name: string, value: string | undefined): void {
  switch (name) {
    case 'port':
      args.port = toPort(value ?? '');
      break;
    case 'dbpath':
      args.dbPath = value;
      break;
    case 'bind_ip':
      args.bindIp = (value ?? '')
        .split(',')
        .map((host) => host.trim())
        .filter((host) => host !== '');
      break;
    case 'bind_ip_all':
      args.bindIpAll = true;
      break;
    case 'replSet':
      args.replSet = value;
      break;
    case 'storageEngine':
      args.storageEngine = value;
      break;
    case 'logpath':
      args.logPath = value;
      break;
    case 'quiet':
      args.quiet = true;
      break;
    case 'version':
      args.version = true;
      break;
    case 'help':
    case 'h':
      args.help = true;
      break;
    case 'config':
    case 'f':
      applyConfigFile(args, value ?? '');
      break;
    case 'profile':
      args.profile = toProfileLevel(value ?? '');
      break;
    case 'slowms':
      args.slowMs = toSlowMs(value ?? '');
      break;
    case 'slowOpSampleRate':
      args.slowOpSampleRate = toSampleRate(value ?? '');
      break;
    case 'setParameter': {
      const [key, ...rest] = (value ?? '').split('=');
      if (key) args.setParameters[key] = rest.join('=');
      break;
    }
    default:
      break;
  }
}

export function parseMongodArgs(argv: string[]): MongodArgs {
  const args: MongodArgs = { setParameters: {} };
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (!token.startsWith('-')) throw new ArgsError(`unrecognised argument '${token}'`);
    const stripped = token.replace(/^--?/, '');
    const eq = stripped.indexOf('=');
    const name = eq === -1 ? stripped : stripped.slice(0, eq);
    let value = eq === -1 ? undefined : stripped.slice(eq + 1);
    const takesValue = valueOptions.has(name) || ignoredWithValue.has(name);
    if (!takesValue && !flagOptions.has(name) && !ignoredOptions.has(name)) {
      throw new ArgsError(`unrecognised option '${token}'`);
    }
    if (takesValue && value === undefined) {
      value = argv[++i];
      if (value === undefined)
        throw new ArgsError(`the required argument for option '--${name}' is missing`);
    }
    apply(args, name, value);
  }
  return args;
}

type Yaml = Record<string, unknown>;

function section(config: Yaml, name: string): Yaml {
  const value = config[name];
  return typeof value === 'object' && value !== null ? (value as Yaml) : {};
}

/** mongod's YAML config file: the subset of settings Shoal uses. */
export function applyConfigFile(args: MongodArgs, path: string): void {
  let config: Yaml;
  try {
    config = (parseYaml(readFileSync(path, 'utf8')) ?? {}) as Yaml;
  } catch (error) {
    throw new ArgsError(`Error reading config file: ${(error as Error).message}`);
  }
  const net = section(config, 'net');
  if (typeof net.port === 'number' || typeof net.port === 'string')
    args.port = toPort(String(net.port));
  if (typeof net.bindIp === 'string')
    args.bindIp = net.bindIp.split(',').map((host) => host.trim());
  if (net.bindIpAll === true) args.bindIpAll = true;
  const storage = section(config, 'storage');
  if (typeof storage.dbPath === 'string') args.dbPath = storage.dbPath;
  if (typeof storage.engine === 'string') args.storageEngine = storage.engine;
  const replication = section(config, 'replication');
  if (typeof replication.replSetName === 'string') args.replSet = replication.replSetName;
  const systemLog = section(config, 'systemLog');
  if (typeof systemLog.path === 'string' && systemLog.destination !== 'syslog')
    args.logPath = systemLog.path;
  if (systemLog.quiet === true) args.quiet = true;
  applyOperationProfiling(args, section(config, 'operationProfiling'));
  for (const [key, value] of Object.entries(section(config, 'setParameter')))
    args.setParameters[key] = String(value);
}

/** A YAML scalar as text, for the same validation as the command line. */
function scalarText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/** operationProfiling: mode (off, slowOp, all), slowOpThresholdMs, slowOpSampleRate. */
function applyOperationProfiling(args: MongodArgs, settings: Yaml): void {
  const { mode, slowOpThresholdMs, slowOpSampleRate } = settings;
  if (mode !== undefined) {
    const level = typeof mode === 'string' ? profileModes[mode] : undefined;
    if (level === undefined)
      throw new ArgsError(`Bad value for operationProfiling.mode: ${scalarText(mode)}`);
    args.profile = level;
  }
  if (slowOpThresholdMs !== undefined) args.slowMs = toSlowMs(scalarText(slowOpThresholdMs));
  if (slowOpSampleRate !== undefined)
    args.slowOpSampleRate = toSampleRate(scalarText(slowOpSampleRate));
}
