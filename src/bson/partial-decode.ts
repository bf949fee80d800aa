/**
 * Decoding only some top-level fields of stored BSON. A filter or a pipeline that reads
 * two fields of a twenty-field document should not pay for decoding the other eighteen:
 * decoding dominates scan cost (research/storage.md measured ~4 µs per 200-byte document).
 * Common scalar types are read directly; everything else goes through the bson package.
 */
import { deserialize, Double, Int32, Long } from 'bson';
import type { BsonDocument, BsonValue } from './types.js';
import { decodeOptions } from './types.js';
import { rawElements } from './raw-elements.js';

function decodeElement(
  bytes: Buffer,
  type: number,
  start: number,
  valueStart: number,
  valueEnd: number,
): BsonValue {
  switch (type) {
    case 0x01:
      return new Double(bytes.readDoubleLE(valueStart));
    case 0x02:
      return bytes.toString('utf8', valueStart + 4, valueEnd - 1);
    case 0x08:
      return bytes[valueStart] === 1;
    case 0x0a:
      return null;
    case 0x10:
      return new Int32(bytes.readInt32LE(valueStart));
    case 0x12:
      return new Long(bytes.readInt32LE(valueStart), bytes.readInt32LE(valueStart + 4));
    case 0x09:
      return new Date(Number(bytes.readBigInt64LE(valueStart)));
    default: {
      const length = 4 + (valueEnd - start) + 1;
      const single = Buffer.allocUnsafe(length);
      single.writeInt32LE(length, 0);
      bytes.copy(single, 4, start, valueEnd);
      single[length - 1] = 0;
      const decoded: BsonDocument = deserialize(single, decodeOptions);
      return Object.values(decoded)[0];
    }
  }
}

/** A document holding only the named top-level fields that `bytes` has, in stored order. */
export function decodeFields(bytes: Buffer, names: ReadonlySet<string>): BsonDocument {
  const doc: BsonDocument = {};
  let wanted = names.size;
  for (const element of rawElements(bytes)) {
    if (!names.has(element.name)) continue;
    doc[element.name] = decodeElement(
      bytes,
      element.type,
      element.start,
      element.valueStart,
      element.valueEnd,
    );
    if (--wanted === 0) break;
  }
  return doc;
}
