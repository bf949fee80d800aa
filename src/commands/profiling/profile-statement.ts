/**
 * In mongod each update or delete statement is an operation of its own (a child CurOp in
 * write_ops_exec): it gets its own profile entry and slow-query line, with op "update" or
 * "remove", the statement as its command, no wire protocol and no response length. The
 * command around the statements is only logged. While a statement runs, the operation's
 * statistics are swapped for the statement's, so the command code fills them unchanged.
 */
import { Int32 } from 'bson';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument, isNumber } from '../../bson/types.js';
import { toDouble } from '../../bson/arith.js';
import { MongoError } from '../../errors/mongo-error.js';
import type { CommandContext, OperationStats } from '../context.js';
import type { OperationError } from './profile-entry.js';
import { profilerOf } from './profiler.js';
import { completeRecord } from './complete-operation.js';

export type StatementKind = 'update' | 'remove';

function safeBool(value: BsonValue): boolean {
  if (isNumber(value)) return toDouble(value) !== 0;
  return value === true;
}

function hasHint(hint: BsonValue): boolean {
  return isDocument(hint) ? Object.keys(hint).length > 0 : hint !== undefined && hint !== null;
}

/**
 * The statement as mongod serializes it for the profiler (UpdateOpEntry/DeleteOpEntry):
 * defaults filled in ({q, u, multi: false, upsert: false}), an empty hint left out.
 */
export function describeStatement(kind: StatementKind, statement: BsonValue): BsonDocument {
  const source: BsonDocument = isDocument(statement) ? statement : {};
  const doc: BsonDocument = { q: source.q };
  if (kind === 'update') {
    doc.u = source.u;
    if (source.c !== undefined) doc.c = source.c;
    if (source.arrayFilters !== undefined) doc.arrayFilters = source.arrayFilters;
    if (hasHint(source.hint)) doc.hint = source.hint;
    doc.multi = safeBool(source.multi);
    doc.upsert = safeBool(source.upsert);
  } else {
    doc.limit = new Int32(isNumber(source.limit) && toDouble(source.limit) !== 0 ? 1 : 0);
    if (hasHint(source.hint)) doc.hint = source.hint;
  }
  if (source.collation !== undefined) doc.collation = source.collation;
  return doc;
}

export function operationError(error: unknown): OperationError {
  if (error instanceof MongoError)
    return { code: error.code, codeName: error.codeName, message: error.message };
  return {
    code: 1,
    codeName: 'InternalError',
    message: error instanceof Error ? error.message : String(error),
  };
}

/** Runs one statement as its own profiled operation; its errors propagate unchanged. */
export async function profileStatement<T>(
  context: CommandContext,
  kind: StatementKind,
  namespace: string,
  statement: BsonValue,
  run: () => Promise<T>,
): Promise<T> {
  const { operation, server } = context;
  const parent = { stats: operation.stats, planSummary: operation.planSummary };
  const stats: OperationStats = { numYield: 0 };
  operation.stats = stats;
  operation.planSummary = undefined;
  const level = profilerOf(server).level(context.request.database);
  const startedMs = server.clock.monotonicMs();
  let error: OperationError | undefined;
  try {
    return await run();
  } catch (caught) {
    error = operationError(caught);
    throw caught;
  } finally {
    const planSummary = operation.planSummary;
    operation.stats = parent.stats;
    operation.planSummary = parent.planSummary;
    // A parent CurOp counts its children's yields.
    parent.stats.numYield += stats.numYield;
    const durationMs = Math.trunc(server.clock.monotonicMs() - startedMs);
    completeRecord(context, {
      database: context.request.database,
      level,
      durationMs,
      component: 'WRITE',
      record: () => ({
        op: kind,
        namespace,
        command: describeStatement(kind, statement),
        originatingCommand: undefined,
        stats,
        planSummary,
        cursorid: undefined,
        cursorExhausted: false,
        error,
        responseLength: undefined,
        protocol: undefined,
        durationMs,
        connection: context.connection,
      }),
    });
  }
}
