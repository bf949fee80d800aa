/**
 * Bounds-checked reads of the two variable-length items inside messages: embedded BSON
 * documents and cstrings. Documents are only framed (length, bounds, terminator), never
 * decoded: the command layer deserializes what it actually uses.
 */
import { bsonObjectSizeInternalMax, bsonObjectSizeMin } from './limits.js';
import { WireError } from './wire-error.js';
import type { FailedRequest } from './wire-error.js';

/**
 * The document starting at `offset`, as a view into `bytes`; it must end by `limit`.
 * InvalidBSON and BSONObjectTooLarge are what mongod's validated BSONObj load reports.
 */
export function readDocument(
  bytes: Buffer,
  offset: number,
  limit: number,
  request: FailedRequest,
): Buffer {
  const available = limit - offset;
  if (available < bsonObjectSizeMin) {
    throw new WireError(
      'InvalidBSON',
      `Client Error: Remaining data too small for BSON object (${available} bytes)`,
      request,
    );
  }
  const size = bytes.readInt32LE(offset);
  if (size < bsonObjectSizeMin) {
    throw new WireError(
      'InvalidBSON',
      `BSON object size ${size} is below the minimum of 5`,
      request,
    );
  }
  if (size > bsonObjectSizeInternalMax) {
    throw new WireError(
      'BSONObjectTooLarge',
      `BSONObj size: ${size} (0x${size.toString(16).toUpperCase()}) is invalid. ` +
        `Size must be between 0 and ${bsonObjectSizeInternalMax}(16MB)`,
      request,
    );
  }
  if (size > available) {
    throw new WireError(
      'InvalidBSON',
      `BSON object size ${size} exceeds the ${available} bytes left in its section`,
      request,
    );
  }
  if (bytes[offset + size - 1] !== 0) {
    throw new WireError('InvalidBSON', 'BSON object is not terminated by a null byte', request);
  }
  return bytes.subarray(offset, offset + size);
}

/** The index of the NUL ending the cstring at `offset`, or -1 when none occurs before `limit`. */
export function cstringEnd(bytes: Buffer, offset: number, limit: number): number {
  if (offset >= limit) return -1;
  const index = bytes.subarray(offset, limit).indexOf(0);
  return index === -1 ? -1 : offset + index;
}
