/**
 * The 16-byte header every wire message starts with. All integers on the wire are
 * little-endian int32; requestId and responseTo are opaque to the codec.
 */
import { assert } from '../util/assert.js';
import { headerSize } from './limits.js';

export interface MessageHeader {
  messageLength: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

/** Reads a header; the caller has checked that `bytes` holds at least headerSize bytes. */
export function readHeader(bytes: Buffer, offset = 0): MessageHeader {
  assert(bytes.length - offset >= headerSize, 'header needs 16 bytes');
  return {
    messageLength: bytes.readInt32LE(offset),
    requestId: bytes.readInt32LE(offset + 4),
    responseTo: bytes.readInt32LE(offset + 8),
    opCode: bytes.readInt32LE(offset + 12),
  };
}

export function writeHeader(target: Buffer, header: MessageHeader, offset = 0): void {
  assert(target.length - offset >= headerSize, 'header needs 16 bytes');
  target.writeInt32LE(header.messageLength, offset);
  target.writeInt32LE(header.requestId, offset + 4);
  target.writeInt32LE(header.responseTo, offset + 8);
  target.writeInt32LE(header.opCode, offset + 12);
}
