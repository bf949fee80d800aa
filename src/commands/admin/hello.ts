/**
 * hello / isMaster: the handshake every connection starts with, and the monitoring
 * heartbeat. No topologyVersion: without exhaust support the Node driver must poll
 * (see research/driver-compat.md §2, the streaming-hello pitfall).
 */
import { Int32 } from 'bson';
import type { BsonDocument } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import type { CommandContext, CommandSpec, Reply } from '../context.js';
import { maxWireVersion, minWireVersion } from '../../server/version.js';
import { bsonObjectSizeMax, messageSizeMax } from '../../wire/limits.js';

export const writeBatchSizeMax = 100_000;
export const logicalSessionTimeoutMinutes = 30;
const supportedCompressors = ['zlib'];

function negotiateCompression(body: BsonDocument): string[] | undefined {
  const offered = body.compression;
  if (!Array.isArray(offered)) return undefined;
  return supportedCompressors.filter((name) => offered.includes(name));
}

function recordClientMetadata(context: CommandContext): void {
  const client = context.request.body.client;
  if (client === undefined) return;
  if (!isDocument(client))
    throw new MongoError('TypeMismatch', "The 'client' field must be an object");
  if (context.connection.clientMetadata !== undefined) {
    throw new MongoError(186, 'The client metadata document may only be sent in the first hello');
  }
  context.connection.clientMetadata = client;
  context.server.log.info(
    'NETWORK',
    51800,
    'client metadata',
    {
      remote: context.connection.remoteAddress,
      client: `conn${context.connection.id}`,
      doc: client,
    },
    `conn${context.connection.id}`,
  );
}

function hello(context: CommandContext, legacy: boolean): Reply {
  recordClientMetadata(context);
  const { body } = context.request;
  const reply: Reply = {};
  if (body.helloOk === true) reply.helloOk = true;
  reply[legacy ? 'ismaster' : 'isWritablePrimary'] = true;
  Object.assign(reply, {
    maxBsonObjectSize: new Int32(bsonObjectSizeMax),
    maxMessageSizeBytes: new Int32(messageSizeMax),
    maxWriteBatchSize: new Int32(writeBatchSizeMax),
    localTime: new Date(context.server.clock.wallMs()),
    logicalSessionTimeoutMinutes: new Int32(logicalSessionTimeoutMinutes),
    connectionId: new Int32(context.connection.id),
    minWireVersion: new Int32(minWireVersion),
    maxWireVersion: new Int32(maxWireVersion),
    readOnly: false,
  });
  const compression = negotiateCompression(body);
  if (compression !== undefined && compression.length > 0) reply.compression = compression;
  if (typeof body.saslSupportedMechs === 'string') reply.saslSupportedMechs = [];
  return { ...reply, ok: 1 };
}

export const helloCommand: CommandSpec = {
  name: 'hello',
  help: 'Returns the server role and limits; the handshake and monitoring command.',
  handler: (context) => hello(context, false),
};

export const isMasterCommand: CommandSpec = {
  name: 'isMaster',
  aliases: ['ismaster'],
  help: 'The legacy spelling of hello.',
  handler: (context) => hello(context, true),
};
