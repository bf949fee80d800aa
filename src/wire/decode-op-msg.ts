/**
 * OP_MSG: uint32 flagBits, sections, optional CRC-32C. The checks and their error codes follow
 * mongod's OpMsg::parse (src/mongo/rpc/op_msg.cpp) and its unit tests (op_msg_test.cpp), with
 * one deliberate difference: the checksum is verified before the sections are walked, because
 * the section errors of a corrupted message describe the corruption, not the client.
 */
import { crc32c } from './crc32c.js';
import { cstringEnd, readDocument } from './document-reader.js';
import type { MessageHeader } from './header.js';
import { checksumSize, documentSequencesMax, headerSize, opMsgFlags } from './limits.js';
import { WireError } from './wire-error.js';
import type { FailedRequest } from './wire-error.js';

export interface DocumentSequence {
  identifier: string;
  /** Raw BSON of each document, views into the frame. */
  documents: Buffer[];
}

export interface OpMsg {
  kind: 'msg';
  header: MessageHeader;
  flags: number;
  checksumPresent: boolean;
  moreToCome: boolean;
  exhaustAllowed: boolean;
  /** Raw BSON of the single kind-0 section, a view into the frame. */
  body: Buffer;
  sequences: DocumentSequence[];
  compressorId?: number;
}

const flagsSize = 4;
const supportedFlags = opMsgFlags.checksumPresent | opMsgFlags.moreToCome;
/** The low 16 bits are required: a receiver that does not know one must reject the message. */
const requiredFlagsMask = 0xffff;

const sectionKinds = { body: 0, documentSequence: 1, securityToken: 2 } as const;

/** Decodes an OP_MSG whose header has been validated against the frame. */
export function decodeOpMsg(frame: Buffer, header: MessageHeader): OpMsg {
  if (frame.length < headerSize + flagsSize) {
    throw new WireError('Overflow', 'OP_MSG is too short to hold its flagBits', {
      header,
      moreToCome: false,
    });
  }
  const flags = frame.readUInt32LE(headerSize);
  if ((flags & ~supportedFlags & requiredFlagsMask) !== 0) {
    throw new WireError(
      'IllegalOpMsgFlag',
      `Message contains illegal flags value: 0b${flags.toString(2).padStart(32, '0')}`,
    );
  }
  const checksumPresent = (flags & opMsgFlags.checksumPresent) !== 0;
  const moreToCome = (flags & opMsgFlags.moreToCome) !== 0;
  const request: FailedRequest = { header, moreToCome };
  let sectionsEnd = frame.length;
  if (checksumPresent) {
    verifyChecksum(frame, request);
    sectionsEnd -= checksumSize;
  }
  const { body, sequences } = readSections(frame, headerSize + flagsSize, sectionsEnd, request);
  return {
    kind: 'msg',
    header,
    flags,
    checksumPresent,
    moreToCome,
    exhaustAllowed: (flags & opMsgFlags.exhaustAllowed) !== 0,
    body,
    sequences,
  };
}

function verifyChecksum(frame: Buffer, request: FailedRequest): void {
  if (frame.length - headerSize <= flagsSize + checksumSize) {
    throw new WireError(51252, 'Invalid message size for an OpMsg containing a checksum', request);
  }
  const checksumOffset = frame.length - checksumSize;
  const expected = frame.readUInt32LE(checksumOffset);
  if (crc32c(frame, 0, 0, checksumOffset) !== expected) {
    throw new WireError('ChecksumMismatch', 'OP_MSG checksum does not match contents');
  }
}

function readSections(
  frame: Buffer,
  start: number,
  end: number,
  request: FailedRequest,
): { body: Buffer; sequences: DocumentSequence[] } {
  let body: Buffer | undefined;
  const sequences: DocumentSequence[] = [];
  let offset = start;
  while (offset < end) {
    const kind = frame.readUInt8(offset++);
    switch (kind) {
      case sectionKinds.body:
        if (body !== undefined) {
          throw new WireError(40430, 'Multiple body sections in message', request);
        }
        body = readDocument(frame, offset, end, request);
        offset += body.length;
        break;
      case sectionKinds.documentSequence: {
        const sequence = readSequence(frame, offset, end, request, sequences);
        sequences.push(sequence.value);
        offset = sequence.end;
        break;
      }
      case sectionKinds.securityToken:
        // Security tokens exist only for multitenant (Atlas serverless) deployments.
        throw new WireError('Unauthorized', 'Unsupported Security Token provided', request);
      default:
        throw new WireError(40432, `Unknown section kind ${kind}`, request);
    }
  }
  if (body === undefined) {
    throw new WireError(40587, 'OP_MSG messages must have a body', request);
  }
  return { body, sequences };
}

function readSequence(
  frame: Buffer,
  start: number,
  end: number,
  request: FailedRequest,
  previous: readonly DocumentSequence[],
): { value: DocumentSequence; end: number } {
  if (previous.length >= documentSequencesMax) {
    throw new WireError('TooManyDocumentSequences', 'Too many document sequences in OP_MSG');
  }
  const size = end - start >= 4 ? frame.readInt32LE(start) : -1;
  if (size < 4 || size > end - start) {
    throw new WireError('Overflow', `Document sequence size ${size} overruns the message`, request);
  }
  const sequenceEnd = start + size;
  const nameEnd = cstringEnd(frame, start + 4, sequenceEnd);
  if (nameEnd === -1) {
    throw new WireError('Overflow', 'Document sequence identifier is not null-terminated', request);
  }
  const identifier = frame.toString('utf8', start + 4, nameEnd);
  if (previous.some((sequence) => sequence.identifier === identifier)) {
    throw new WireError(40431, `Duplicate document sequence: ${identifier}`, request);
  }
  const documents: Buffer[] = [];
  for (let offset = nameEnd + 1; offset < sequenceEnd;) {
    const document = readDocument(frame, offset, sequenceEnd, request);
    documents.push(document);
    offset += document.length;
  }
  return { value: { identifier, documents }, end: sequenceEnd };
}
