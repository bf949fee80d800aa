/**
 * What a command handler sees: the request, the connection it came on, and the node's
 * shared state. Handlers never touch sockets; replies are plain objects that
 * src/bson/serialize.ts encodes (RawBson values are embedded as is).
 */
import type { ObjectId } from 'bson';
import type { BsonDocument } from '../bson/types.js';
import type { Clock } from '../platform/clock.js';
import type { Random } from '../platform/random.js';
import type { Timers } from '../platform/timers.js';
import type { StorageEngine } from '../storage/storage-engine.js';
import type { Logger } from '../server/logger.js';
import type { CursorManager } from '../query/exec/cursor-manager.js';
import type { ServerOptions } from '../server/server-options.js';

export type Reply = Record<string, unknown>;

export interface CommandRequest {
  /** The command's name as registered (the first field of the body). */
  name: string;
  body: BsonDocument;
  /** The command document's bytes as received. */
  rawBody: Buffer;
  database: string;
  /** OP_MSG kind-1 sections, decoded, by identifier. */
  sequences: Map<string, BsonDocument[]>;
  /** Raw bytes of the kind-1 documents, for writes that store them unchanged. */
  rawSequences: Map<string, Buffer[]>;
  /** The client asked for no reply (OP_MSG moreToCome), e.g. a w:0 write. */
  noReply: boolean;
}

export interface ConnectionInfo {
  id: number;
  remoteAddress: string;
  localAddress: string;
  localPort: number;
  clientMetadata: BsonDocument | undefined;
  connectedAtMs: number;
}

/**
 * What an operation did, for the profiler and the slow-query log (MongoDB's OpDebug
 * additiveMetrics). Commands fill what applies to them; src/commands/profiling reads it.
 */
export interface OperationStats {
  keysExamined?: number;
  docsExamined?: number;
  hasSortStage?: boolean;
  fromMultiPlanner?: boolean;
  fromPlanCache?: boolean;
  nreturned?: number;
  ninserted?: number;
  nMatched?: number;
  nModified?: number;
  ndeleted?: number;
  nUpserted?: number;
  /** Times the plan gave the event loop a turn (each is an interrupt check). */
  numYield: number;
}

export interface OperationInfo {
  opid: number;
  connectionId: number;
  command: BsonDocument;
  namespace: string;
  startedAtMonotonicMs: number;
  killed: boolean;
  /** How the query ran ("IXSCAN { a: 1 }", "COLLSCAN"), for the profiler and slow log. */
  planSummary?: string;
  /** Replaced while an update or delete statement runs, so each is profiled on its own. */
  stats: OperationStats;
  /** getMore: the command that opened the cursor. */
  originatingCommand?: BsonDocument;
}

export interface OpCounters {
  insert: number;
  query: number;
  update: number;
  delete: number;
  getmore: number;
  command: number;
}

export interface ServerState {
  readonly options: ServerOptions;
  readonly storage: StorageEngine;
  readonly cursors: CursorManager;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly random: Random;
  readonly log: Logger;
  readonly processId: ObjectId;
  readonly startedAtMonotonicMs: number;
  readonly connections: Map<number, ConnectionInfo>;
  readonly operations: Map<number, OperationInfo>;
  readonly opcounters: OpCounters;
  readonly connectionCounters: { totalCreated: number };
  /** The port actually bound (differs from options.port when that was 0). */
  port: number;
  /** Server parameters as getParameter/setParameter see them. */
  readonly parameters: Map<string, unknown>;
  shutdown(reason: string): Promise<void>;
}

export interface CommandContext {
  readonly server: ServerState;
  readonly connection: ConnectionInfo;
  readonly request: CommandRequest;
  readonly operation: OperationInfo;
}

export type CommandHandler = (context: CommandContext) => Reply | Promise<Reply>;

export interface CommandSpec {
  name: string;
  handler: CommandHandler;
  /** Accepted only on the admin database. */
  adminOnly?: boolean;
  /** Other spellings (isMaster, ismaster). */
  aliases?: string[];
  help: string;
  /** Counts as a write for opcounters and read-only checks. */
  kind?: 'read' | 'write' | 'admin';
}
