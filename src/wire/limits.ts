/**
 * Wire-protocol limits and constants, with MongoDB's values. Every bound the codec enforces
 * lives here so the framer, decoder and the hello reply advertise the same numbers.
 */
import { assert } from '../util/assert.js';

/** The standard message header: messageLength, requestID, responseTo, opCode (int32 each). */
export const headerSize = 16;

/** `maxMessageSizeBytes` as MongoDB advertises it in hello (MaxMessageSizeBytes in the server). */
export const messageSizeMax = 48_000_000;

/** `maxBsonObjectSize`: the largest user document (BSONObjMaxUserSize). */
export const bsonObjectSizeMax = 16 * 1024 * 1024;

/**
 * BSONObjMaxInternalSize: incoming command documents may exceed the user limit by 16 KiB, so
 * a 16 MiB user document plus the command envelope around it still fits.
 */
export const bsonObjectSizeInternalMax = bsonObjectSizeMax + 16 * 1024;

/** The smallest BSON document: int32 length plus the terminating 0x00. */
export const bsonObjectSizeMin = 5;

/**
 * OP_MSG allows at most two kind-1 sections (the server's TooManyDocumentSequences check);
 * client bulkWrite, the heaviest user, sends exactly two (`ops` and `nsInfo`).
 */
export const documentSequencesMax = 2;

/** Opcodes from the wire-protocol reference; the legacy ones are listed so logs can name them. */
export const opCodes = {
  reply: 1,
  update: 2001,
  insert: 2002,
  reserved: 2003,
  query: 2004,
  getMore: 2005,
  delete: 2006,
  killCursors: 2007,
  compressed: 2012,
  msg: 2013,
} as const;

/** OP_COMPRESSED compressor ids (the compression spec). Shoal implements noop and zlib. */
export const compressorIds = {
  noop: 0,
  snappy: 1,
  zlib: 2,
  zstd: 3,
} as const;

/** OP_MSG flagBits. Bits 0-15 are "required": an unknown one set must fail the message. */
export const opMsgFlags = {
  checksumPresent: 1 << 0,
  moreToCome: 1 << 1,
  exhaustAllowed: 1 << 16,
} as const;

/** OP_REPLY responseFlags. */
export const opReplyFlags = {
  cursorNotFound: 1 << 0,
  queryFailure: 1 << 1,
  shardConfigStale: 1 << 2,
  awaitCapable: 1 << 3,
} as const;

/** The CRC-32C trailer of an OP_MSG with checksumPresent. */
export const checksumSize = 4;

assert(bsonObjectSizeInternalMax > bsonObjectSizeMax);
assert(messageSizeMax > bsonObjectSizeInternalMax + headerSize, 'a maximal command must fit');
assert(messageSizeMax <= 2 ** 31 - 1, 'messageLength is an int32');
