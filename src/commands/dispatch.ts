/**
 * From a decoded OP_MSG (or legacy OP_QUERY command) to a reply document: find the
 * handler, run it, and turn any failure into MongoDB's error shape. A MongoError is the
 * user's problem and becomes {ok: 0, errmsg, code, codeName}; anything else is our bug,
 * logged and reported as InternalError, and the server goes on serving.
 */
import { deserialize, Double } from 'bson';
import type { BsonDocument } from '../bson/types.js';
import { decodeOptions } from '../bson/types.js';
import { MongoError } from '../errors/mongo-error.js';
import type {
  CommandContext,
  CommandRequest,
  ConnectionInfo,
  OperationInfo,
  Reply,
  ServerState,
} from './context.js';
import { lookupCommand } from './registry.js';
import { checkGenericArguments } from './generic-arguments.js';
import { CommandSequences } from './sequences.js';
import { bsonDepthMax, checkDocumentLimits, mayExceedDepth } from '../bson/document-limits.js';
import { completeOperation } from './profiling/complete-operation.js';
import { profilerOf } from './profiling/profiler.js';

export interface IncomingCommand {
  body: Buffer;
  sequences: { identifier: string; documents: Buffer[] }[];
  noReply: boolean;
  /** Legacy OP_QUERY on db.$cmd: the database comes from the namespace, not $db. */
  legacyDatabase?: string;
}

let nextOperationId = 1;

const okOne = new Double(1);
const okZero = new Double(0);

function okDouble(ok: unknown): Double {
  return ok === 0 || (ok instanceof Double && ok.value === 0) ? okZero : okOne;
}

export function errorReply(error: unknown, server: ServerState, command?: string): Reply {
  if (error instanceof MongoError) {
    const reply: Reply = {
      ok: okZero,
      errmsg: error.message,
      code: error.code,
      codeName: error.codeName,
    };
    if (error.extra !== undefined) Object.assign(reply, error.extra);
    if (error.errorLabels.length > 0) reply.errorLabels = error.errorLabels;
    return reply;
  }
  const message = error instanceof Error ? error.message : String(error);
  server.log.error('COMMAND', 21962, 'Unexpected error running command', {
    command,
    error: message,
    stack: error instanceof Error ? error.stack : undefined,
  });
  return { ok: okZero, errmsg: `internal error: ${message}`, code: 1, codeName: 'InternalError' };
}

function decodeBody(bytes: Buffer): BsonDocument {
  let decoded: BsonDocument;
  try {
    decoded = deserialize(bytes, decodeOptions);
  } catch (error) {
    throw new MongoError('InvalidBSON', `invalid BSON in command: ${(error as Error).message}`);
  }
  // Before anything recursive walks it. (Dates a JS Date cannot hold are refused where
  // documents are stored: the raw validator and the encoder.)
  if (mayExceedDepth(bytes.length, bsonDepthMax)) checkDocumentLimits(decoded, bsonDepthMax);
  return decoded;
}

function buildRequest(incoming: IncomingCommand): CommandRequest {
  const body = decodeBody(incoming.body);
  const name = Object.keys(body)[0];
  if (name === undefined) throw new MongoError('FailedToParse', 'Empty command object');
  const database = incoming.legacyDatabase ?? body.$db;
  if (typeof database !== 'string') {
    throw new MongoError(40571, 'OP_MSG requests require a $db argument');
  }
  const rawSequences = new Map<string, Buffer[]>();
  for (const sequence of incoming.sequences) {
    if (sequence.identifier in body || rawSequences.has(sequence.identifier)) {
      throw new MongoError(40413, `Duplicate field ${sequence.identifier}`);
    }
    rawSequences.set(sequence.identifier, sequence.documents);
  }
  return {
    name,
    body,
    rawBody: incoming.body,
    database,
    sequences: new CommandSequences(rawSequences),
    noReply: incoming.noReply,
  };
}

export async function dispatch(
  server: ServerState,
  connection: ConnectionInfo,
  incoming: IncomingCommand,
): Promise<Reply> {
  let request: CommandRequest;
  try {
    request = buildRequest(incoming);
  } catch (error) {
    return errorReply(error, server);
  }
  const spec = lookupCommand(request.name);
  if (spec === undefined) {
    return errorReply(
      new MongoError('CommandNotFound', `no such command: '${request.name}'`),
      server,
    );
  }
  if (spec.adminOnly && request.database !== 'admin') {
    return errorReply(
      new MongoError('Unauthorized', `${spec.name} may only be run against the admin database.`),
      server,
    );
  }
  const operation: OperationInfo = {
    opid: nextOperationId++,
    connectionId: connection.id,
    command: request.body,
    namespace: `${request.database}.$cmd`,
    startedAtMonotonicMs: server.clock.monotonicMs(),
    killed: false,
    stats: { numYield: 0 },
  };
  server.operations.set(operation.opid, operation);
  server.opcounters.command++;
  const context: CommandContext = { server, connection, request, operation };
  const profileLevel = profilerOf(server).level(request.database);
  let reply: Reply;
  try {
    checkGenericArguments(request.body);
    const result = await spec.handler(context);
    // mongod reports ok as a double.
    reply = { ...result, ok: okDouble(result.ok) };
  } catch (error) {
    reply = errorReply(error, server, spec.name);
  } finally {
    server.operations.delete(operation.opid);
  }
  const protocol = incoming.legacyDatabase === undefined ? 'op_msg' : 'op_query';
  completeOperation(context, spec.name, reply, profileLevel, protocol);
  return reply;
}
