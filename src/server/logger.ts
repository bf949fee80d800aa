/**
 * mongod-style structured logs: one JSON object per line with t, s, c, id, ctx, msg and
 * attr, as tools that start mongod (mongodb-runner, mongodb-memory-server) parse them.
 * pino does the writing; a ring buffer keeps recent lines for the getLog command.
 */
import { pino } from 'pino';
import type { Clock } from '../platform/clock.js';

export type Severity = 'F' | 'E' | 'W' | 'I' | 'D1';
export type Component =
  | 'CONTROL'
  | 'NETWORK'
  | 'STORAGE'
  | 'COMMAND'
  | 'QUERY'
  | 'WRITE'
  | 'REPL'
  | 'INDEX'
  | 'ACCESS'
  | 'SHARDING';

export interface Logger {
  log(
    severity: Severity,
    component: Component,
    id: number,
    msg: string,
    attr?: object,
    ctx?: string,
  ): void;
  info(component: Component, id: number, msg: string, attr?: object, ctx?: string): void;
  warn(component: Component, id: number, msg: string, attr?: object, ctx?: string): void;
  error(component: Component, id: number, msg: string, attr?: object, ctx?: string): void;
  /** The most recent lines, newest last (getLog: "global"). */
  recent(): string[];
  /** Startup warnings (getLog: "startupWarnings"). */
  startupWarnings(): string[];
  flush(): void;
}

export const recentLinesMax = 1024;

const pinoLevels: Record<Severity, string> = {
  F: 'fatal',
  E: 'error',
  W: 'warn',
  I: 'info',
  D1: 'debug',
};
const severities: Record<string, Severity> = {
  fatal: 'F',
  error: 'E',
  warn: 'W',
  info: 'I',
  debug: 'D1',
};

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+00:00');
}

export interface LoggerOptions {
  clock: Clock;
  /** A file path (systemLog.path), or undefined for stdout. */
  path?: string | undefined;
  quiet?: boolean;
}

export function createLogger(options: LoggerOptions): Logger {
  const ring: string[] = [];
  const warnings: string[] = [];
  const destination = pino.destination({
    dest: options.path ?? 1,
    sync: true,
    append: true,
    mkdir: true,
  });
  const capture = {
    write(line: string): void {
      const trimmed = line.endsWith('\n') ? line.slice(0, -1) : line;
      ring.push(trimmed);
      if (ring.length > recentLinesMax) ring.shift();
      if (!options.quiet) destination.write(line);
    },
  };
  const base = pino(
    {
      base: null,
      level: 'debug',
      messageKey: 'msg',
      timestamp: () => `,"t":{"$date":"${isoDate(options.clock.wallMs())}"}`,
      formatters: { level: (label) => ({ s: severities[label] ?? 'I' }) },
    },
    capture,
  );
  const log = (
    severity: Severity,
    component: Component,
    id: number,
    msg: string,
    attr?: object,
    ctx = 'main',
  ): void => {
    const record = attr === undefined ? { c: component, id, ctx } : { c: component, id, ctx, attr };
    base[pinoLevels[severity] as 'info'](record, msg);
    if (severity === 'W' && ctx === 'initandlisten') warnings.push(ring[ring.length - 1] ?? msg);
  };
  return {
    log,
    info: (c, id, msg, attr, ctx) => log('I', c, id, msg, attr, ctx),
    warn: (c, id, msg, attr, ctx) => log('W', c, id, msg, attr, ctx),
    error: (c, id, msg, attr, ctx) => log('E', c, id, msg, attr, ctx),
    recent: () => [...ring],
    startupWarnings: () => [...warnings],
    flush: () => destination.flushSync(),
  };
}
