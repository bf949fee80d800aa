/**
 * OP_QUERY: int32 flags, cstring fullCollectionName, int32 numberToSkip, int32 numberToReturn,
 * the query document and an optional returnFieldsSelector. Drivers still open every
 * connection with an OP_QUERY hello, so it is decoded in full. Error codes follow mongod's
 * DbMessage (src/mongo/db/dbmessage.cpp), which answers with an error reply rather than
 * closing the connection.
 */
import { cstringEnd, readDocument } from './document-reader.js';
import type { MessageHeader } from './header.js';
import { headerSize } from './limits.js';
import { WireError } from './wire-error.js';

export interface OpQuery {
  kind: 'query';
  header: MessageHeader;
  flags: number;
  fullCollectionName: string;
  numberToSkip: number;
  numberToReturn: number;
  /** Raw BSON of the query (for the handshake: the hello command), a view into the frame. */
  query: Buffer;
  returnFieldsSelector?: Buffer;
  compressorId?: number;
}

/** Decodes an OP_QUERY whose header has been validated against the frame. */
export function decodeOpQuery(frame: Buffer, header: MessageHeader): OpQuery {
  const end = frame.length;
  const request = { header, moreToCome: false };
  if (end - headerSize < 4) {
    throw new WireError(18634, 'Not enough data to read', request);
  }
  const flags = frame.readInt32LE(headerSize);
  const nameStart = headerSize + 4;
  const nameEnd = cstringEnd(frame, nameStart, end);
  if (nameEnd === -1) {
    throw new WireError(18633, 'Failed to parse ns string', request);
  }
  const fullCollectionName = frame.toString('utf8', nameStart, nameEnd);
  let offset = nameEnd + 1;
  if (end - offset < 8) {
    throw new WireError(18634, 'Not enough data to read', request);
  }
  const numberToSkip = frame.readInt32LE(offset);
  const numberToReturn = frame.readInt32LE(offset + 4);
  offset += 8;
  const query = readDocument(frame, offset, end, request);
  offset += query.length;
  const message: OpQuery = {
    kind: 'query',
    header,
    flags,
    fullCollectionName,
    numberToSkip,
    numberToReturn,
    query,
  };
  if (offset === end) return message;
  const returnFieldsSelector = readDocument(frame, offset, end, request);
  offset += returnFieldsSelector.length;
  if (offset !== end) {
    // mongod ignores bytes after the selector; a client that sends them is broken, and
    // rejecting them keeps "every byte is accounted for" true for all decoded messages.
    throw new WireError(
      'ProtocolError',
      `${end - offset} unexpected bytes after OP_QUERY`,
      request,
    );
  }
  message.returnFieldsSelector = returnFieldsSelector;
  return message;
}
