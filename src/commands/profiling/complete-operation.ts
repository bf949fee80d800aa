/**
 * The end of every operation (dispatch calls it for each command, profileStatement for
 * each update or delete statement): decide, then log and/or profile. Nothing here may
 * fail the operation; a failure to profile is logged as a warning, as mongod does.
 */
import { Double, Long } from 'bson';
import type { BsonDocument } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import { encodeDocument } from '../../bson/serialize.js';
import type { Component } from '../../server/logger.js';
import type { CommandContext, Reply } from '../context.js';
import type { LogicalOp, OperationError, OperationRecord } from './profile-entry.js';
import { profileDocument, slowQueryAttributes } from './profile-entry.js';
import type { ProfileLevel } from './profiler.js';
import { decideProfiling, profilerOf } from './profiler.js';
import { profileNamespace, writeProfileEntry } from './profile-writer.js';

/** Profiled one statement at a time instead (each statement is its own operation). */
const profiledByStatement = new Set(['update', 'delete']);

/**
 * Commands mongod never profiles: they read no collection through its profiling path.
 * Most touch no database at all; listCollections and profile itself are shown unprofiled
 * by jstests profile_list_collections.js and profile1.js.
 */
const unprofiledCommands = new Set([
  'buildInfo',
  'connectionStatus',
  'currentOp',
  'endSessions',
  'getCmdLineOpts',
  'getLog',
  'getParameter',
  'hello',
  'hostInfo',
  'isMaster',
  'killAllSessions',
  'killAllSessionsByPattern',
  'killOp',
  'killSessions',
  'listCollections',
  'listCommands',
  'listDatabases',
  'ping',
  'profile',
  'refreshSessions',
  'serverStatus',
  'setParameter',
  'shutdown',
  'startSession',
  'whatsmyuri',
]);

/** A listCollections cursor has no collection to profile its getMores against either. */
function isProfiled(context: CommandContext, commandName: string): boolean {
  if (profiledByStatement.has(commandName) || unprofiledCommands.has(commandName)) return false;
  const collection = context.request.body.collection;
  return !(commandName === 'getMore' && collection === '$cmd.listCollections');
}

/** Commands whose first field names the collection they work on. */
const collectionCommands = new Set([
  'aggregate',
  'collMod',
  'collStats',
  'count',
  'create',
  'createIndexes',
  'delete',
  'distinct',
  'drop',
  'dropIndexes',
  'find',
  'findAndModify',
  'insert',
  'killCursors',
  'listIndexes',
  'update',
]);

/** Commands that return a cursor batch: the profiler reports nreturned and cursorid. */
const cursorCommands = new Set(['aggregate', 'find', 'getMore']);

const logicalOps: Record<string, LogicalOp> = {
  find: 'query',
  getMore: 'getmore',
  insert: 'insert',
  update: 'update',
  delete: 'remove',
  killCursors: 'killcursors',
};

/** hello may legitimately wait 10 s (maxAwaitTimeMS); mongod logs it only past twice that. */
const helloSlowMs = 20_000;

/** OP_MSG header (16) + flag bits (4) + section kind (1); OP_REPLY header (16) + 20. */
const replyOverheadBytes = { op_msg: 21, op_query: 36 } as const;

export type Protocol = keyof typeof replyOverheadBytes;

export interface Completion {
  database: string;
  level: ProfileLevel;
  durationMs: number;
  component: Component;
  slowMsOverride?: number | undefined;
  /** Built only when something will be written: most operations never need it. */
  record: () => OperationRecord;
}

/**
 * mongod's profile() writes only into a database that exists: an operation that dropped
 * its database (or ran on one that never existed) is not profiled.
 */
function profile(context: CommandContext, database: string, entry: BsonDocument): void {
  const { server } = context;
  const exists =
    server.storage.collection(profileNamespace(database)) !== undefined ||
    server.storage.collections(database).length > 0;
  if (!exists) {
    server.log.info(
      'COMMAND',
      20700,
      'note: not profiling because db went away',
      { namespace: database },
      `conn${context.connection.id}`,
    );
    return;
  }
  writeProfileEntry(server.storage, database, entry);
}

/** Decides, then writes the slow-query line and the profile entry as decided. */
export function completeRecord(context: CommandContext, completion: Completion): void {
  const { server } = context;
  try {
    const profiler = profilerOf(server);
    const { filter } = profiler.settings(completion.database);
    let record: OperationRecord | undefined;
    let entry: BsonDocument | undefined;
    const recordOf = (): OperationRecord => (record ??= completion.record());
    const entryOf = (): BsonDocument =>
      (entry ??= profileDocument(recordOf(), server.clock.wallMs()));
    const logLevel = server.parameters.get('logLevel');
    const decision = decideProfiling({
      level: completion.level,
      durationMs: completion.durationMs,
      slowMs: completion.slowMsOverride ?? profiler.slowMs,
      sampleRate: profiler.sampleRate,
      verbose: typeof logLevel === 'object' && logLevel !== null && Number(logLevel.valueOf()) >= 1,
      random: server.random,
      filter: filter === undefined ? undefined : () => filter.matches(entryOf()),
    });
    const ctx = `conn${context.connection.id}`;
    if (decision.log)
      server.log.info(
        completion.component,
        51803,
        'Slow query',
        slowQueryAttributes(recordOf()),
        ctx,
      );
    if (decision.profile) profile(context, completion.database, entryOf());
  } catch (error) {
    server.log.warn(
      completion.component,
      20703,
      'Caught Assertion while trying to profile operation',
      {
        database: completion.database,
        assertion: error instanceof Error ? error.message : String(error),
      },
      `conn${context.connection.id}`,
    );
  }
}

function namespaceOf(context: CommandContext, commandName: string): string {
  const { body, database, name } = context.request;
  if (commandName === 'getMore' && typeof body.collection === 'string')
    return `${database}.${body.collection}`;
  const target = body[name];
  if (collectionCommands.has(commandName) && typeof target === 'string' && target !== '')
    return `${database}.${target}`;
  return `${database}.$cmd`;
}

function errorOf(reply: Reply): OperationError | undefined {
  const ok = reply.ok;
  if ((ok instanceof Double ? ok.value : Number(ok)) !== 0) return undefined;
  return {
    code: typeof reply.code === 'number' ? reply.code : 1,
    codeName: typeof reply.codeName === 'string' ? reply.codeName : 'InternalError',
    message: typeof reply.errmsg === 'string' ? reply.errmsg : '',
  };
}

interface CursorFacts {
  cursorid: Long | undefined;
  exhausted: boolean;
  nreturned: number | undefined;
}

function cursorFacts(context: CommandContext, commandName: string, reply: Reply): CursorFacts {
  const none: CursorFacts = { cursorid: undefined, exhausted: false, nreturned: undefined };
  const cursor = reply.cursor;
  if (!cursorCommands.has(commandName) || !isDocument(cursor)) return none;
  const batch = cursor.firstBatch ?? cursor.nextBatch;
  const id = cursor.id;
  const exhausted = id instanceof Long && id.isZero();
  // A getMore names its cursor even when this batch exhausted it.
  const requested = context.request.body.getMore;
  const cursorid =
    commandName === 'getMore' && requested instanceof Long
      ? requested
      : id instanceof Long && !exhausted
        ? id
        : undefined;
  return { cursorid, exhausted, nreturned: Array.isArray(batch) ? batch.length : undefined };
}

function commandRecord(
  context: CommandContext,
  commandName: string,
  reply: Reply,
  protocol: Protocol,
  durationMs: number,
): OperationRecord {
  const { operation, request, connection } = context;
  const cursor = cursorFacts(context, commandName, reply);
  const stats =
    cursor.nreturned === undefined
      ? operation.stats
      : { ...operation.stats, nreturned: cursor.nreturned };
  return {
    op: logicalOps[commandName] ?? 'command',
    namespace: namespaceOf(context, commandName),
    command: request.body,
    originatingCommand: operation.originatingCommand,
    stats,
    planSummary: operation.planSummary,
    cursorid: cursor.cursorid,
    cursorExhausted: cursor.exhausted,
    error: errorOf(reply),
    responseLength: request.noReply
      ? undefined
      : encodeDocument(reply).length + replyOverheadBytes[protocol],
    protocol,
    durationMs,
    connection,
  };
}

/**
 * Called by dispatch once a command has its reply. `levelAtStart` is the database's
 * profiling level when the command began: turning profiling on does not profile the
 * command that did it.
 */
export function completeOperation(
  context: CommandContext,
  commandName: string,
  reply: Reply,
  levelAtStart: ProfileLevel,
  protocol: Protocol,
): void {
  const durationMs = Math.trunc(
    context.server.clock.monotonicMs() - context.operation.startedAtMonotonicMs,
  );
  const { database } = context.request;
  // DatabaseHolder::dropDb clears the dropped database's profile settings.
  if (commandName === 'dropDatabase' && errorOf(reply) === undefined)
    profilerOf(context.server).clear(database);
  completeRecord(context, {
    database,
    level: isProfiled(context, commandName) ? levelAtStart : 0,
    durationMs,
    component: 'COMMAND',
    slowMsOverride: commandName === 'hello' ? helloSlowMs : undefined,
    record: () => commandRecord(context, commandName, reply, protocol, durationMs),
  });
}
