/**
 * Turns one complete frame into a structured message, validating every length, flag and
 * section on the way; BSON payloads stay raw (views into the frame, never copied or decoded).
 * Anything malformed throws WireError and nothing else: a hostile or broken peer must not be
 * able to raise an exception the connection loop does not expect.
 */
import { inflateSync } from 'node:zlib';
import { decodeOpMsg } from './decode-op-msg.js';
import type { OpMsg } from './decode-op-msg.js';
import { decodeOpQuery } from './decode-op-query.js';
import type { OpQuery } from './decode-op-query.js';
import { readHeader, writeHeader } from './header.js';
import type { MessageHeader } from './header.js';
import { compressorIds, headerSize, messageSizeMax, opCodes } from './limits.js';
import { WireError } from './wire-error.js';

export type { DocumentSequence, OpMsg } from './decode-op-msg.js';
export type { OpQuery } from './decode-op-query.js';

export type IncomingMessage = OpMsg | OpQuery;

/** originalOpcode (int32), uncompressedSize (int32), compressorId (uint8). */
const compressionHeaderSize = 9;

/** Decodes one complete message, header included. Throws WireError on any malformation. */
export function decodeMessage(frame: Buffer): IncomingMessage {
  const header = validateHeader(frame);
  switch (header.opCode) {
    case opCodes.msg:
      return decodeOpMsg(frame, header);
    case opCodes.query:
      return decodeOpQuery(frame, header);
    case opCodes.compressed:
      return decodeCompressed(frame, header);
    default:
      throw new WireError('ProtocolError', `Unsupported opCode ${header.opCode}`);
  }
}

/** What mongod's transport layer checks before it reads a message body. */
function validateHeader(frame: Buffer): MessageHeader {
  if (frame.length < headerSize) {
    throw new WireError('ProtocolError', `Message of ${frame.length} bytes has no full header`);
  }
  const header = readHeader(frame);
  const length = header.messageLength;
  if (length < headerSize || length > messageSizeMax) {
    throw new WireError(
      'ProtocolError',
      `recv(): message msgLen ${length} is invalid. Min ${headerSize} Max: ${messageSizeMax}`,
    );
  }
  if (length !== frame.length) {
    throw new WireError(
      'ProtocolError',
      `messageLength ${length} does not match the ${frame.length}-byte frame`,
    );
  }
  return header;
}

/**
 * OP_COMPRESSED, following mongod's MessageCompressorManager::decompressMessage. The inner
 * message is rebuilt with its own header (mongod does the same) so that an OP_MSG checksum,
 * which covers the uncompressed message, can be verified.
 */
function decodeCompressed(frame: Buffer, header: MessageHeader): IncomingMessage {
  if (frame.length - headerSize < compressionHeaderSize) {
    throw new WireError('BadValue', 'Invalid compressed message header');
  }
  const originalOpcode = frame.readInt32LE(headerSize);
  const uncompressedSize = frame.readInt32LE(headerSize + 4);
  const compressorId = frame.readUInt8(headerSize + 8);
  if (originalOpcode !== opCodes.msg && originalOpcode !== opCodes.query) {
    throw new WireError('ProtocolError', `Cannot decompress into opCode ${originalOpcode}`);
  }
  if (uncompressedSize < 0) {
    throw new WireError('BadValue', 'Decompressed message would be negative in size');
  }
  if (uncompressedSize + headerSize > messageSizeMax) {
    throw new WireError(
      'BadValue',
      'Decompressed message would be larger than maximum message size',
    );
  }
  const payload = frame.subarray(headerSize + compressionHeaderSize);
  const data = decompress(compressorId, payload, uncompressedSize);
  if (data.length !== uncompressedSize) {
    const relation = data.length < uncompressedSize ? 'less' : 'more';
    throw new WireError(
      'BadValue',
      `Decompressing message returned ${relation} data than expected`,
    );
  }
  const inner = Buffer.allocUnsafe(headerSize + uncompressedSize);
  const innerHeader: MessageHeader = {
    messageLength: inner.length,
    requestId: header.requestId,
    responseTo: header.responseTo,
    opCode: originalOpcode,
  };
  writeHeader(inner, innerHeader);
  data.copy(inner, headerSize);
  const message =
    originalOpcode === opCodes.msg
      ? decodeOpMsg(inner, innerHeader)
      : decodeOpQuery(inner, innerHeader);
  message.compressorId = compressorId;
  return message;
}

function decompress(compressorId: number, payload: Buffer, uncompressedSize: number): Buffer {
  switch (compressorId) {
    case compressorIds.noop:
      return payload;
    case compressorIds.zlib:
      return inflate(payload, uncompressedSize);
    default:
      // snappy and zstd need native modules, so Shoal does not advertise them in hello.
      throw new WireError(
        'InternalError',
        `Compression algorithm specified in message is not available (id ${compressorId})`,
      );
  }
}

function inflate(payload: Buffer, uncompressedSize: number): Buffer {
  try {
    // maxOutputLength caps the output at the announced size, so a zlib bomb cannot make us
    // allocate more than the (already bounded) uncompressedSize.
    return inflateSync(payload, { maxOutputLength: Math.max(1, uncompressedSize) });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw new WireError('BadValue', 'Decompressing message returned more data than expected');
    }
    throw new WireError('BadValue', 'Compressed message was invalid or corrupted');
  }
}
