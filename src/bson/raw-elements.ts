/**
 * Walking the top-level elements of already-validated BSON bytes without decoding them:
 * for what decoding hides (a repeated field name, BSON undefined) and for slicing
 * embedded documents out of a command unchanged.
 */
import { assert } from '../util/assert.js';

export interface RawElement {
  /** Offset of the element's type byte. */
  start: number;
  type: number;
  name: string;
  /** Offsets of the value's bytes within the document. */
  valueStart: number;
  valueEnd: number;
}

function cstringEnd(bytes: Uint8Array, offset: number): number {
  const end = bytes.indexOf(0, offset);
  assert(end >= 0, 'unterminated cstring in BSON');
  return end;
}

function valueLength(bytes: Buffer, type: number, offset: number): number {
  switch (type) {
    case 0x01:
    case 0x09:
    case 0x11:
    case 0x12:
      return 8;
    case 0x02:
    case 0x0d:
    case 0x0e:
      return 4 + bytes.readInt32LE(offset);
    case 0x03:
    case 0x04:
    case 0x0f:
      return bytes.readInt32LE(offset);
    case 0x05:
      return 5 + bytes.readInt32LE(offset);
    case 0x06:
    case 0x0a:
    case 0xff:
    case 0x7f:
      return 0;
    case 0x07:
      return 12;
    case 0x08:
      return 1;
    case 0x0b: {
      const patternEnd = cstringEnd(bytes, offset);
      return cstringEnd(bytes, patternEnd + 1) + 1 - offset;
    }
    case 0x0c:
      return 4 + bytes.readInt32LE(offset) + 12;
    case 0x10:
      return 4;
    case 0x13:
      return 16;
    default:
      throw new RangeError(`unknown BSON type 0x${type.toString(16)}`);
  }
}

export function* rawElements(bytes: Buffer): Generator<RawElement> {
  const end = bytes.readInt32LE(0) - 1;
  let offset = 4;
  while (offset < end) {
    const type = bytes[offset] as number;
    const nameEnd = cstringEnd(bytes, offset + 1);
    const name = bytes.toString('utf8', offset + 1, nameEnd);
    const valueStart = nameEnd + 1;
    const valueEnd = valueStart + valueLength(bytes, type, valueStart);
    assert(valueEnd <= end, 'BSON element overruns its document');
    yield { start: offset, type, name, valueStart, valueEnd };
    offset = valueEnd;
  }
}

/** The raw bytes of each element of an array (or document) field. */
export function rawArrayItems(bytes: Buffer, field: string): Buffer[] | undefined {
  for (const element of rawElements(bytes)) {
    if (element.name !== field || (element.type !== 0x04 && element.type !== 0x03)) continue;
    const array = bytes.subarray(element.valueStart, element.valueEnd);
    return [...rawElements(array)]
      .filter((item) => item.type === 0x03)
      .map((item) => array.subarray(item.valueStart, item.valueEnd));
  }
  return undefined;
}
