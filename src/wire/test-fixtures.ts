/**
 * Shared by the wire tests: a byte builder for hand-made (often deliberately broken)
 * messages, modelled on mongod's op_msg_test.cpp `Bytes`/`Sized` helpers, and typed access to
 * the official driver's own message classes, so tests can check our codec against real bytes.
 */
import { serialize } from 'bson';
import type { Document } from 'bson';
import { headerSize, opCodes } from './limits.js';

export function bson(document: Document): Buffer {
  return Buffer.from(serialize(document));
}

export function int32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32LE(value);
  return bytes;
}

export function uint32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value >>> 0);
  return bytes;
}

export function byte(value: number): Buffer {
  return Buffer.from([value]);
}

export function cstring(value: string): Buffer {
  return Buffer.concat([Buffer.from(value, 'utf8'), byte(0)]);
}

/** The parts prefixed by their total size (prefix included) plus `sizeDelta`. */
export function sized(parts: Buffer[], sizeDelta = 0): Buffer {
  const content = Buffer.concat(parts);
  return Buffer.concat([int32(content.length + 4 + sizeDelta), content]);
}

export interface MessageOptions {
  requestId?: number;
  responseTo?: number;
  /** Added to the true length in the header, to produce lying headers. */
  lengthDelta?: number;
}

/** A whole message: header (with the true length unless told otherwise) and parts. */
export function message(opCode: number, parts: Buffer[], options: MessageOptions = {}): Buffer {
  const content = Buffer.concat(parts);
  const header = Buffer.alloc(headerSize);
  header.writeInt32LE(headerSize + content.length + (options.lengthDelta ?? 0), 0);
  header.writeInt32LE(options.requestId ?? 1, 4);
  header.writeInt32LE(options.responseTo ?? 0, 8);
  header.writeInt32LE(opCode, 12);
  return Buffer.concat([header, content]);
}

export function opMsgBytes(parts: Buffer[], options: MessageOptions = {}): Buffer {
  return message(opCodes.msg, parts, options);
}

/** Bit-at-a-time CRC-32C: slow and obviously correct, the reference for the fast one. */
export function crc32cReference(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const value of bytes) {
    crc ^= value;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** Appends a checksum computed by the reference implementation over everything before it. */
export function withChecksum(messageWithoutChecksum: Buffer): Buffer {
  const length = messageWithoutChecksum.length + 4;
  const withLength = Buffer.from(messageWithoutChecksum);
  withLength.writeInt32LE(length, 0);
  return Buffer.concat([withLength, uint32(crc32cReference(withLength))]);
}

interface DriverHeader {
  length: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

interface DriverRequest {
  toBin(): Uint8Array[];
}

interface DriverResponse {
  requestId: number;
  responseTo: number;
  parse(): Uint8Array;
  sections: Uint8Array[];
}

export interface DriverOpMsgResponse extends DriverResponse {
  responseFlags: number;
  moreToCome: boolean;
  checksumPresent: boolean;
  exhaustAllowed: boolean;
}

export interface DriverOpReply extends DriverResponse {
  responseFlags?: number;
  cursorId?: { toBigInt(): bigint };
  startingFrom?: number;
  numberReturned?: number;
}

/** The subset of mongodb/lib/cmap/commands.js the tests use (it ships without typings). */
export interface DriverCommands {
  OpMsgRequest: new (database: string, command: Document, options: Document) => DriverRequest;
  OpQueryRequest: new (database: string, query: Document, options: Document) => DriverRequest;
  DocumentSequence: new (field: string, documents?: Document[]) => object;
  OpCompressedRequest: new (
    command: DriverRequest,
    options: { zlibCompressionLevel: number; agreedCompressor: 'zlib' },
  ) => { toBin(): Promise<Uint8Array[]> };
  OpMsgResponse: new (
    raw: Uint8Array,
    header: DriverHeader,
    body: Uint8Array,
  ) => DriverOpMsgResponse;
  OpReply: new (raw: Uint8Array, header: DriverHeader, body: Uint8Array) => DriverOpReply;
}

export interface DriverCompression {
  decompressResponse(message: Uint8Array): Promise<DriverOpMsgResponse | DriverOpReply>;
}

/** A string specifier keeps TypeScript from looking for typings the package does not ship. */
export async function loadDriverCommands(): Promise<DriverCommands> {
  const specifier: string = 'mongodb/lib/cmap/commands.js';
  return (await import(specifier)) as DriverCommands;
}

export async function loadDriverCompression(): Promise<DriverCompression> {
  const specifier: string = 'mongodb/lib/cmap/wire_protocol/compression.js';
  return (await import(specifier)) as DriverCompression;
}

export function driverBytes(request: DriverRequest): Buffer {
  return Buffer.concat(request.toBin());
}

export function driverHeader(bytes: Buffer): DriverHeader {
  return {
    length: bytes.readInt32LE(0),
    requestId: bytes.readInt32LE(4),
    responseTo: bytes.readInt32LE(8),
    opCode: bytes.readInt32LE(12),
  };
}
