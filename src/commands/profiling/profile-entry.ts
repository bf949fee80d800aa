/**
 * One finished operation as the profiler and the slow-query log describe it: the
 * system.profile document (mongod's OpDebug::append plus the user fields of profile()),
 * and the attributes of log line 51803 "Slow query" (OpDebug::report). Field order and
 * number types follow mongod, so tools that read either see the shapes they expect.
 */
import { Binary, Double, EJSON, Int32, Long } from 'bson';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import { encodeDocument } from '../../bson/serialize.js';
import { documentToString } from '../../bson/to-string.js';
import type { ConnectionInfo, OperationStats } from '../context.js';

/** mongod's LogicalOp names (logicalOpToString). */
export type LogicalOp =
  'query' | 'insert' | 'update' | 'remove' | 'getmore' | 'command' | 'killcursors';

export interface OperationError {
  code: number;
  codeName: string;
  message: string;
}

export interface OperationRecord {
  op: LogicalOp;
  namespace: string;
  command: BsonDocument;
  originatingCommand: BsonDocument | undefined;
  stats: OperationStats;
  planSummary: string | undefined;
  cursorid: Long | undefined;
  cursorExhausted: boolean;
  error: OperationError | undefined;
  /** Bytes of the reply message; undefined for statements and unacknowledged writes. */
  responseLength: number | undefined;
  /** Commands have a wire protocol; update and delete statements do not. */
  protocol: 'op_msg' | 'op_query' | undefined;
  durationMs: number;
  connection: ConnectionInfo;
}

/** Larger command documents are stored as a string summary (mongod's appendMaxElementSize). */
export const commandBytesMax = 50 * 1024;

/** BSONObjBuilder::appendNumber(long long): an int when it fits in ±2^30, else a long. */
export function profileNumber(value: number): Int32 | Long {
  return Math.abs(value) <= 2 ** 30 ? new Int32(value) : Long.fromNumber(value);
}

/**
 * {$truncated: "<the document as text>", comment} for a command too large to keep whole
 * (mongod's appendAsObjOrString); the comment survives so operations stay findable.
 */
export function truncatedCommand(command: BsonDocument): BsonDocument {
  if (encodeDocument(command).length <= commandBytesMax) return command;
  const { comment, ...rest } = command;
  let text = documentToString(comment === undefined ? command : rest);
  if (text.length > commandBytesMax) text = `${text.slice(0, commandBytesMax - 3)}...`;
  return comment === undefined ? { $truncated: text } : { $truncated: text, comment };
}

/** The client's address without the port, as mongod's clientAddress() reports it. */
export function clientHost(remoteAddress: string): string {
  const colon = remoteAddress.lastIndexOf(':');
  return colon === -1 ? remoteAddress : remoteAddress.slice(0, colon);
}

export function appNameOf(connection: ConnectionInfo): string | undefined {
  const application = connection.clientMetadata?.application;
  if (!isDocument(application)) return undefined;
  const name = application.name;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

type Sink = (name: string, value: number) => void;

/** The counters both outputs share, in mongod's order, skipping those never set. */
function appendCounters(record: OperationRecord, add: Sink, flag: (name: string) => void): void {
  const { stats } = record;
  if (stats.keysExamined !== undefined) add('keysExamined', stats.keysExamined);
  if (stats.docsExamined !== undefined) add('docsExamined', stats.docsExamined);
  if (stats.hasSortStage === true) flag('hasSortStage');
  if (stats.fromMultiPlanner === true) flag('fromMultiPlanner');
  if (stats.fromPlanCache === true) flag('fromPlanCache');
  if (stats.nMatched !== undefined) add('nMatched', stats.nMatched);
  if (stats.nModified !== undefined) add('nModified', stats.nModified);
  if (stats.ninserted !== undefined) add('ninserted', stats.ninserted);
  if (stats.ndeleted !== undefined) add('ndeleted', stats.ndeleted);
  if (stats.nUpserted !== undefined) add('nUpserted', stats.nUpserted);
  if (record.cursorExhausted) flag('cursorExhausted');
}

/** The system.profile document for `record`, stamped with the wall-clock time `nowMs`. */
export function profileDocument(record: OperationRecord, nowMs: number): BsonDocument {
  const doc: BsonDocument = {
    op: record.op,
    ns: record.namespace,
    command: truncatedCommand(record.command),
  };
  if (record.originatingCommand !== undefined)
    doc.originatingCommand = truncatedCommand(record.originatingCommand);
  if (record.cursorid !== undefined) doc.cursorid = record.cursorid;
  appendCounters(
    record,
    (name, value) => (doc[name] = profileNumber(value)),
    (name) => (doc[name] = true),
  );
  doc.numYield = profileNumber(record.stats.numYield);
  if (record.stats.nreturned !== undefined) doc.nreturned = profileNumber(record.stats.nreturned);
  if (record.planSummary !== undefined) doc.queryFramework = 'classic';
  doc.locks = {};
  doc.flowControl = {};
  if (record.error !== undefined) {
    doc.ok = new Double(0);
    if (record.error.message !== '') doc.errMsg = record.error.message;
    doc.errName = record.error.codeName;
    doc.errCode = new Int32(record.error.code);
  }
  if (record.responseLength !== undefined)
    doc.responseLength = profileNumber(record.responseLength);
  if (record.protocol !== undefined) doc.protocol = record.protocol;
  doc.millis = profileNumber(record.durationMs);
  if (record.planSummary !== undefined) doc.planSummary = record.planSummary;
  doc.ts = new Date(nowMs);
  doc.client = clientHost(record.connection.remoteAddress);
  const appName = appNameOf(record.connection);
  if (appName !== undefined) doc.appName = appName;
  doc.allUsers = [];
  doc.user = '';
  return doc;
}

function uuidText(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** BSON as mongod's JSON logs show it: relaxed extended JSON, UUIDs as {$uuid}. */
export function logValue(value: BsonValue): unknown {
  if (Array.isArray(value)) return value.map(logValue);
  if (isDocument(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) out[key] = logValue(field);
    return out;
  }
  if (value instanceof Binary && value.sub_type === Binary.SUBTYPE_UUID && value.position === 16)
    return { $uuid: uuidText(value.buffer.subarray(0, 16)) };
  if (value instanceof Date) return { $date: value.toISOString() };
  // Relaxed JSON would round a long past 2^53; the log must not misquote a cursor id.
  if (value instanceof Long && value._bsontype === 'Long') {
    const number = value.toNumber();
    return Number.isSafeInteger(number) ? number : { $numberLong: value.toString() };
  }
  return (EJSON.serialize({ value }, { relaxed: true }) as { value: unknown }).value;
}

/** The `attr` of log line 51803 "Slow query" for `record`. */
export function slowQueryAttributes(record: OperationRecord): Record<string, unknown> {
  const attr: Record<string, unknown> = {
    type: record.protocol === undefined ? record.op : 'command',
    ns: record.namespace,
  };
  const appName = appNameOf(record.connection);
  if (appName !== undefined) attr.appName = appName;
  attr.command = logValue(record.command);
  if (record.originatingCommand !== undefined)
    attr.originatingCommand = logValue(record.originatingCommand);
  if (record.planSummary !== undefined) attr.planSummary = record.planSummary;
  // Relaxed JSON keeps a cursor id exact: a number up to 2^53, {$numberLong} beyond.
  if (record.cursorid !== undefined) attr.cursorid = logValue(record.cursorid);
  appendCounters(
    record,
    (name, value) => (attr[name] = value),
    (name) => (attr[name] = true),
  );
  attr.numYields = record.stats.numYield;
  if (record.stats.nreturned !== undefined) attr.nreturned = record.stats.nreturned;
  if (record.planSummary !== undefined) attr.queryFramework = 'classic';
  if (record.error !== undefined) {
    attr.ok = 0;
    if (record.error.message !== '') attr.errMsg = record.error.message;
    attr.errName = record.error.codeName;
    attr.errCode = record.error.code;
  }
  if (record.responseLength !== undefined) attr.reslen = record.responseLength;
  attr.locks = {};
  attr.remote = record.connection.remoteAddress;
  if (record.protocol !== undefined) attr.protocol = record.protocol;
  attr.durationMillis = record.durationMs;
  return attr;
}
