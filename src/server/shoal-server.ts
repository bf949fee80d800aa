/**
 * The server process: storage, cursors, listeners and connections. It owns all shared
 * state (ServerState) that command handlers read; this is the I/O shell around them.
 */
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { Int32, Long, ObjectId } from 'bson';
import type {
  ConnectionInfo,
  OperationInfo,
  OpCounters,
  ServerState,
} from '../commands/context.js';
import type { Clock } from '../platform/clock.js';
import { systemClock } from '../platform/clock.js';
import type { Random } from '../platform/random.js';
import { systemRandom } from '../platform/random.js';
import type { Timers } from '../platform/timers.js';
import { systemTimers } from '../platform/timers.js';
import { StorageEngine } from '../storage/storage-engine.js';
import { CursorManager } from '../query/exec/cursor-manager.js';
import { Connection } from './connection.js';
import type { Logger } from './logger.js';
import { createLogger } from './logger.js';
import type { ServerOptions } from './server-options.js';
import { defaultParameters } from './parameters.js';
import { serverVersion } from './version.js';
import { TtlMonitor } from './ttl-monitor.js';
import { setIndexStatsEpoch } from '../storage/catalog-entry.js';

export interface ShoalServerDependencies {
  clock?: Clock;
  random?: Random;
  timers?: Timers;
  log?: Logger;
}

/** Flushes committed writes to disk periodically, like WiredTiger's journal commit interval. */
export const journalCommitIntervalMs = 100;

export class ShoalServer implements ServerState {
  readonly clock: Clock;
  readonly random: Random;
  readonly timers: Timers;
  readonly log: Logger;
  readonly storage: StorageEngine;
  readonly cursors: CursorManager;
  readonly processId = new ObjectId();
  readonly startedAtMonotonicMs: number;
  readonly connections = new Map<number, ConnectionInfo>();
  readonly operations = new Map<number, OperationInfo>();
  readonly opcounters: OpCounters = {
    insert: 0,
    query: 0,
    update: 0,
    delete: 0,
    getmore: 0,
    command: 0,
  };
  readonly connectionCounters = { totalCreated: 0 };
  readonly parameters = defaultParameters();
  port = 0;
  private readonly listeners: Server[] = [];
  private readonly live = new Set<Connection>();
  private nextConnectionId = 1;
  private stopping: Promise<void> | undefined;
  private readonly journalTimer;
  readonly ttlMonitor: TtlMonitor;
  private readonly stopped: Promise<void>;
  private resolveStopped!: () => void;

  constructor(
    readonly options: ServerOptions,
    dependencies: ShoalServerDependencies = {},
  ) {
    this.clock = dependencies.clock ?? systemClock;
    this.random = dependencies.random ?? systemRandom;
    this.timers = dependencies.timers ?? systemTimers;
    this.log =
      dependencies.log ??
      createLogger({ clock: this.clock, path: options.logPath, quiet: options.quiet });
    this.startedAtMonotonicMs = this.clock.monotonicMs();
    setIndexStatsEpoch(this.clock.wallMs());
    this.log.info(
      'CONTROL',
      4615611,
      'MongoDB starting',
      {
        pid: process.pid,
        port: options.port,
        dbPath: options.dbPath,
        architecture: '64-bit',
        host: 'localhost',
      },
      'initandlisten',
    );
    this.log.info(
      'CONTROL',
      23403,
      'Build Info',
      { buildInfo: { version: serverVersion } },
      'initandlisten',
    );
    this.storage = StorageEngine.open({
      directory: options.dbPath,
      ephemeral: options.storageEngine === 'inMemory',
      random: this.random,
    });
    // mongod resumes or restarts interrupted builds; Shoal drops them (the client that
    // asked was never answered) and a new createIndexes builds the index again.
    for (const dropped of this.storage.dropUnfinishedIndexBuilds()) {
      this.log.info(
        'INDEX',
        20347,
        'Index build: dropped an unfinished build',
        dropped,
        'initandlisten',
      );
    }
    this.cursors = new CursorManager(this.clock, this.random, this.timers);
    this.journalTimer = this.timers.setInterval(
      () => void this.storage.sync(),
      journalCommitIntervalMs,
    );
    this.ttlMonitor = new TtlMonitor(this);
    this.stopped = new Promise((resolve) => (this.resolveStopped = resolve));
  }

  /** A --setParameter value: numbers and booleans are parsed as mongod parses them. */
  setParameterFromText(name: string, text: string): void {
    let value: unknown = text;
    if (/^-?\d+$/.test(text)) {
      const number = Number(text);
      value =
        Number.isSafeInteger(number) && Math.abs(number) < 2 ** 31
          ? new Int32(number)
          : Long.fromString(text);
    } else if (text === 'true' || text === 'false') {
      value = text === 'true';
    }
    this.parameters.set(name, value);
    if (name === 'cursorTimeoutMillis') this.cursors.timeoutMs = Number(text);
  }

  async listen(): Promise<number> {
    let port = this.options.port;
    for (const host of this.options.bindIp) {
      const listener = createServer((socket) => this.accept(socket));
      await new Promise<void>((resolve, reject) => {
        listener.once('error', reject);
        listener.listen({ host, port, exclusive: true }, () => resolve());
      });
      const address = listener.address();
      if (typeof address === 'object' && address !== null) port = address.port;
      this.listeners.push(listener);
      this.log.info('NETWORK', 23015, 'Listening on', { address: host }, 'listener');
    }
    this.port = port;
    this.ttlMonitor.start();
    this.log.info('NETWORK', 23016, 'Waiting for connections', { port, ssl: 'off' }, 'listener');
    return port;
  }

  private accept(socket: Socket): void {
    const id = this.nextConnectionId++;
    this.connectionCounters.totalCreated++;
    const info: ConnectionInfo = {
      id,
      remoteAddress: `${socket.remoteAddress ?? ''}:${socket.remotePort ?? 0}`,
      localAddress: socket.localAddress ?? '',
      localPort: socket.localPort ?? this.port,
      clientMetadata: undefined,
      connectedAtMs: this.clock.wallMs(),
    };
    this.connections.set(id, info);
    const connection = new Connection(this, socket, info, () => {
      this.live.delete(connection);
      this.connections.delete(id);
      this.log.info(
        'NETWORK',
        22944,
        'Connection ended',
        { remote: info.remoteAddress, connectionId: id },
        `conn${id}`,
      );
    });
    this.live.add(connection);
    this.log.info(
      'NETWORK',
      22943,
      'Connection accepted',
      { remote: info.remoteAddress, connectionId: id },
      'listener',
    );
  }

  /** Starts an orderly shutdown; resolves when storage is closed. */
  shutdown(reason: string): Promise<void> {
    this.stopping ??= this.stop(reason);
    return this.stopping;
  }

  private async stop(reason: string): Promise<void> {
    this.log.info(
      'CONTROL',
      4784900,
      'Stepping down the ReplicationCoordinator for shutdown',
      { reason },
      'initandlisten',
    );
    for (const listener of this.listeners) listener.close();
    for (const connection of this.live) connection.close();
    this.cursors.close();
    this.journalTimer.cancel();
    this.ttlMonitor.stop();
    await this.storage.close();
    this.log.info('CONTROL', 20565, 'Now exiting', {}, 'initandlisten');
    this.log.flush();
    this.resolveStopped();
  }

  /** Resolves once the server has shut down. */
  whenStopped(): Promise<void> {
    return this.stopped;
  }
}
