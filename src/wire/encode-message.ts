/**
 * Builds wire messages from already-encoded BSON. Each encoder computes the exact size first
 * and writes into one allocation. Inputs come from our own code, so bad ones (a document
 * whose length prefix lies, an oversized message) are assertion failures, not WireErrors.
 */
import { deflateSync } from 'node:zlib';
import { assert } from '../util/assert.js';
import { crc32c } from './crc32c.js';
import { readHeader, writeHeader } from './header.js';
import {
  bsonObjectSizeMin,
  checksumSize,
  compressorIds,
  headerSize,
  messageSizeMax,
  opCodes,
  opMsgFlags,
} from './limits.js';

export interface OpMsgReplyOptions {
  requestId: number;
  responseTo: number;
  /** moreToCome for exhaust replies; checksumPresent is set through `checksum`. */
  flags?: number;
  body: Uint8Array;
  checksum?: boolean;
}

export interface OpMsgRequestOptions {
  requestId: number;
  body: Uint8Array;
  sequences?: { identifier: string; documents: Uint8Array[] }[];
  flags?: number;
  checksum?: boolean;
}

export interface OpReplyOptions {
  requestId: number;
  responseTo: number;
  documents: Uint8Array[];
  responseFlags?: number;
  cursorId?: bigint;
  startingFrom?: number;
}

export interface OpQueryRequestOptions {
  requestId: number;
  fullCollectionName: string;
  query: Uint8Array;
  returnFieldsSelector?: Uint8Array;
  numberToSkip?: number;
  /** Drivers send -1 for commands: one reply document, no cursor. */
  numberToReturn?: number;
  flags?: number;
}

const compressionHeaderSize = 9;

/** A server reply: OP_MSG with a single kind-0 section (drivers reject kind-1 in replies). */
export function encodeOpMsg(options: OpMsgReplyOptions): Buffer {
  return encodeOpMsgSections({
    requestId: options.requestId,
    responseTo: options.responseTo,
    flags: options.flags ?? 0,
    body: options.body,
    sequences: [],
    checksum: options.checksum ?? false,
  });
}

/** A client request: OP_MSG with its body and optional kind-1 document sequences. */
export function encodeOpMsgRequest(options: OpMsgRequestOptions): Buffer {
  return encodeOpMsgSections({
    requestId: options.requestId,
    responseTo: 0,
    flags: options.flags ?? 0,
    body: options.body,
    sequences: options.sequences ?? [],
    checksum: options.checksum ?? false,
  });
}

interface OpMsgParts {
  requestId: number;
  responseTo: number;
  flags: number;
  body: Uint8Array;
  sequences: { identifier: string; documents: Uint8Array[] }[];
  checksum: boolean;
}

function encodeOpMsgSections(parts: OpMsgParts): Buffer {
  assert((parts.flags & opMsgFlags.checksumPresent) === 0, 'request a checksum with `checksum`');
  assertDocument(parts.body);
  const flags = (parts.flags | (parts.checksum ? opMsgFlags.checksumPresent : 0)) >>> 0;
  const sequenceSizes = parts.sequences.map(sequenceSize);
  let length = headerSize + 4 + 1 + parts.body.length;
  for (const size of sequenceSizes) length += 1 + size;
  if (parts.checksum) length += checksumSize;
  assert(length <= messageSizeMax, `OP_MSG of ${length} bytes exceeds maxMessageSizeBytes`);

  const message = Buffer.allocUnsafe(length);
  writeHeader(message, { messageLength: length, ...parts, opCode: opCodes.msg });
  message.writeUInt32LE(flags, headerSize);
  let offset = headerSize + 4;
  message[offset++] = 0;
  message.set(parts.body, offset);
  offset += parts.body.length;
  parts.sequences.forEach((sequence, index) => {
    message[offset++] = 1;
    message.writeInt32LE(sequenceSizes[index]!, offset);
    offset = writeCString(message, sequence.identifier, offset + 4);
    for (const document of sequence.documents) {
      message.set(document, offset);
      offset += document.length;
    }
  });
  if (parts.checksum) {
    message.writeUInt32LE(crc32c(message, 0, 0, offset), offset);
    offset += checksumSize;
  }
  assert(offset === length, 'OP_MSG size accounting');
  return message;
}

function sequenceSize(sequence: { identifier: string; documents: Uint8Array[] }): number {
  let size = 4 + cstringSize(sequence.identifier);
  for (const document of sequence.documents) {
    assertDocument(document);
    size += document.length;
  }
  return size;
}

/** A legacy OP_REPLY, the answer to the OP_QUERY handshake. */
export function encodeOpReply(options: OpReplyOptions): Buffer {
  let length = headerSize + 20;
  for (const document of options.documents) {
    assertDocument(document);
    length += document.length;
  }
  assert(length <= messageSizeMax, `OP_REPLY of ${length} bytes exceeds maxMessageSizeBytes`);
  const message = Buffer.allocUnsafe(length);
  writeHeader(message, { messageLength: length, ...options, opCode: opCodes.reply });
  message.writeInt32LE(options.responseFlags ?? 0, headerSize);
  message.writeBigInt64LE(options.cursorId ?? 0n, headerSize + 4);
  message.writeInt32LE(options.startingFrom ?? 0, headerSize + 12);
  message.writeInt32LE(options.documents.length, headerSize + 16);
  let offset = headerSize + 20;
  for (const document of options.documents) {
    message.set(document, offset);
    offset += document.length;
  }
  return message;
}

/** A legacy OP_QUERY, as drivers send the first hello on a connection. */
export function encodeOpQueryRequest(options: OpQueryRequestOptions): Buffer {
  assertDocument(options.query);
  if (options.returnFieldsSelector) assertDocument(options.returnFieldsSelector);
  const selectorSize = options.returnFieldsSelector?.length ?? 0;
  const length =
    headerSize +
    4 +
    cstringSize(options.fullCollectionName) +
    8 +
    options.query.length +
    selectorSize;
  assert(length <= messageSizeMax, `OP_QUERY of ${length} bytes exceeds maxMessageSizeBytes`);
  const message = Buffer.allocUnsafe(length);
  writeHeader(message, {
    messageLength: length,
    requestId: options.requestId,
    responseTo: 0,
    opCode: opCodes.query,
  });
  message.writeInt32LE(options.flags ?? 0, headerSize);
  let offset = writeCString(message, options.fullCollectionName, headerSize + 4);
  message.writeInt32LE(options.numberToSkip ?? 0, offset);
  message.writeInt32LE(options.numberToReturn ?? -1, offset + 4);
  offset += 8;
  message.set(options.query, offset);
  offset += options.query.length;
  if (options.returnFieldsSelector) message.set(options.returnFieldsSelector, offset);
  return message;
}

/**
 * Wraps a complete encoded message in OP_COMPRESSED, keeping its requestId and responseTo.
 * mongod answers a compressed request with a reply compressed the same way.
 */
export function encodeCompressed(message: Buffer, compressorId: number): Buffer {
  const header = readHeader(message);
  assert(header.messageLength === message.length, 'encodeCompressed needs one whole message');
  assert(header.opCode !== opCodes.compressed, 'a message cannot be compressed twice');
  const original = message.subarray(headerSize);
  let compressed: Buffer;
  if (compressorId === compressorIds.noop) compressed = original;
  else if (compressorId === compressorIds.zlib) compressed = deflateSync(original);
  else assert(false, `compressor ${compressorId} is not supported`);
  const length = headerSize + compressionHeaderSize + compressed.length;
  assert(length <= messageSizeMax, `OP_COMPRESSED of ${length} bytes exceeds maxMessageSizeBytes`);
  const output = Buffer.allocUnsafe(length);
  writeHeader(output, { ...header, messageLength: length, opCode: opCodes.compressed });
  output.writeInt32LE(header.opCode, headerSize);
  output.writeInt32LE(original.length, headerSize + 4);
  output.writeUInt8(compressorId, headerSize + 8);
  output.set(compressed, headerSize + compressionHeaderSize);
  return output;
}

function assertDocument(document: Uint8Array): void {
  assert(document.length >= bsonObjectSizeMin, 'a BSON document has at least 5 bytes');
  const view = new DataView(document.buffer, document.byteOffset, document.byteLength);
  assert(view.getInt32(0, true) === document.length, 'BSON length prefix must match its bytes');
  assert(document[document.length - 1] === 0, 'a BSON document ends with 0x00');
}

function cstringSize(value: string): number {
  return Buffer.byteLength(value, 'utf8') + 1;
}

function writeCString(target: Buffer, value: string, offset: number): number {
  const written = target.write(value, offset, 'utf8');
  assert(!value.includes('\0'), 'a cstring cannot contain NUL');
  target[offset + written] = 0;
  return offset + written + 1;
}
