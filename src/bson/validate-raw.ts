/**
 * Validating BSON in place, as mongod's BSON validator does, without building objects:
 * lengths, terminators, type bytes, UTF-8, booleans, nesting depth, and dates a JS Date
 * can hold. Inserts use it instead of decoding each document, and learn where `_id` is.
 * Iterative, so no input can overflow the stack.
 */
import { isUtf8 } from 'node:buffer';
import { MongoError } from '../errors/mongo-error.js';

export interface RawIdElement {
  /** Offsets of the whole element (type byte to end of value) within the document. */
  start: number;
  end: number;
  type: number;
}

export interface RawInspection {
  id: RawIdElement | undefined;
  /** `_id` is the first element. */
  idFirst: boolean;
}

const dateMsMax = 8.64e15;

function invalid(reason: string): MongoError {
  return new MongoError('InvalidBSON', `invalid BSON: ${reason}`);
}

/**
 * Below this many bytes a JavaScript loop that checks for ASCII beats a call into
 * isUtf8 (and the Buffer view it needs); most field names and short values qualify.
 */
const asciiLoopBytesMax = 64;

function validUtf8(bytes: Buffer, start: number, end: number): boolean {
  if (end - start <= asciiLoopBytesMax) {
    let high = 0;
    for (let i = start; i < end; i++) high |= bytes[i] as number;
    if (high < 0x80) return true;
  }
  return isUtf8(bytes.subarray(start, end));
}

function checkedString(bytes: Buffer, offset: number, limit: number): number {
  if (offset + 4 > limit) throw invalid('string length overruns its document');
  const length = bytes.readInt32LE(offset);
  const end = offset + 4 + length;
  if (length < 1 || end > limit || bytes[end - 1] !== 0) throw invalid('bad string length');
  if (!validUtf8(bytes, offset + 4, end - 1)) throw invalid('invalid UTF-8 in string');
  return end;
}

function cstringEnd(bytes: Buffer, offset: number, limit: number): number {
  let end = offset;
  let high = 0;
  while (end < limit && bytes[end] !== 0) high |= bytes[end++] as number;
  if (end >= limit) throw invalid('unterminated field name or regex');
  if (high >= 0x80 && !isUtf8(bytes.subarray(offset, end)))
    throw invalid('invalid UTF-8 in field name');
  return end + 1;
}

interface Frame {
  end: number;
  depth: number;
}

/** The end of a scalar value (or the position of a nested document, pushed on `stack`). */
function valueEnd(
  bytes: Buffer,
  type: number,
  offset: number,
  frame: Frame,
  stack: Frame[],
  depthMax: number,
): number {
  const limit = frame.end;
  const fixed = (size: number): number => {
    if (offset + size > limit) throw invalid('value overruns its document');
    return offset + size;
  };
  switch (type) {
    case 0x01:
    case 0x11:
    case 0x12:
      return fixed(8);
    case 0x10:
      return fixed(4);
    case 0x13:
      return fixed(16);
    case 0x07:
      return fixed(12);
    case 0x06:
    case 0x0a:
    case 0xff:
    case 0x7f:
      return offset;
    case 0x08: {
      const end = fixed(1);
      if (bytes[offset] !== 0 && bytes[offset] !== 1)
        throw invalid('boolean that is neither 0 nor 1');
      return end;
    }
    case 0x09: {
      const end = fixed(8);
      const ms = Number(bytes.readBigInt64LE(offset));
      if (ms > dateMsMax || ms < -dateMsMax) {
        throw new MongoError(
          'BadValue',
          'Shoal cannot store dates outside years -271821 to 275760 (±8.64e15 ms)',
        );
      }
      return end;
    }
    case 0x02:
    case 0x0d:
    case 0x0e:
      return checkedString(bytes, offset, limit);
    case 0x05: {
      if (offset + 5 > limit) throw invalid('binary overruns its document');
      const length = bytes.readInt32LE(offset);
      if (length < 0 || offset + 5 + length > limit) throw invalid('bad binary length');
      return offset + 5 + length;
    }
    case 0x0b:
      return cstringEnd(bytes, cstringEnd(bytes, offset, limit), limit);
    case 0x0c:
      return fixed(checkedString(bytes, offset, limit) - offset + 12);
    case 0x0f: {
      if (offset + 4 > limit) throw invalid('code with scope overruns its document');
      const total = bytes.readInt32LE(offset);
      const end = offset + total;
      if (total < 14 || end > limit) throw invalid('bad code with scope length');
      const scope = checkedString(bytes, offset + 4, end);
      pushDocument(bytes, scope, end, frame.depth + 1, stack, depthMax);
      return end;
    }
    case 0x03:
    case 0x04: {
      if (offset + 5 > limit) throw invalid('document overruns its parent');
      const end = offset + bytes.readInt32LE(offset);
      pushDocument(bytes, offset, end, frame.depth + 1, stack, depthMax);
      return end;
    }
    default:
      throw invalid(`unknown type 0x${type.toString(16)}`);
  }
}

function pushDocument(
  bytes: Buffer,
  offset: number,
  end: number,
  depth: number,
  stack: Frame[],
  depthMax: number,
): void {
  if (
    end < offset + 5 ||
    end > bytes.length ||
    bytes[end - 1] !== 0 ||
    bytes.readInt32LE(offset) !== end - offset
  ) {
    throw invalid('bad document length');
  }
  if (depth > depthMax)
    throw new MongoError('Overflow', `BSONObj exceeded maximum nested object depth: ${depthMax}`);
  stack.push({ end: end - 1, depth });
  // Nested documents are walked from their first element; record where it starts.
  (stack[stack.length - 1] as Frame & { position?: number }).position = offset + 4;
}

/**
 * Validates a whole document and reports its top-level `_id`. Throws InvalidBSON,
 * Overflow (deeper than depthMax), BadValue (out-of-range date, repeated _id).
 */
export function inspectRawDocument(bytes: Buffer, depthMax: number): RawInspection {
  if (bytes.length < 5 || bytes.readInt32LE(0) !== bytes.length || bytes[bytes.length - 1] !== 0) {
    throw invalid('bad document length');
  }
  const stack: (Frame & { position?: number })[] = [];
  pushDocument(bytes, 0, bytes.length, 1, stack, depthMax);
  const top = stack[0] as Frame;
  let id: RawIdElement | undefined;
  let idFirst = false;
  let first = true;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame & { position: number };
    if (frame.position >= frame.end) {
      if (frame.position !== frame.end) throw invalid('element overruns its document');
      stack.pop();
      continue;
    }
    const start = frame.position;
    const type = bytes[start] as number;
    const nameEnd = cstringEnd(bytes, start + 1, frame.end);
    const end = valueEnd(bytes, type, nameEnd, frame, stack, depthMax);
    frame.position = end;
    if (frame === top) {
      if (nameEnd - start === 5 && bytes.toString('latin1', start + 1, start + 4) === '_id') {
        if (id !== undefined)
          throw new MongoError('BadValue', "can't have multiple _id fields in one document");
        id = { start, end, type };
        idFirst = first;
      }
      first = false;
    }
  }
  return { id, idFirst };
}

/** The document with its `_id` element moved to the front, by copying bytes. */
export function moveIdFirst(bytes: Buffer, id: RawIdElement): Buffer {
  const out = Buffer.allocUnsafe(bytes.length);
  out.writeInt32LE(bytes.length, 0);
  let offset = 4;
  offset += bytes.copy(out, offset, id.start, id.end);
  offset += bytes.copy(out, offset, 4, id.start);
  bytes.copy(out, offset, id.end);
  return out;
}
