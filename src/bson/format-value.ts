/**
 * Renders values the way mongod's BSONObj::toString does in error messages
 * (`{ _id: 1 }`, `"text"`, `ObjectId('…')`), so messages read like MongoDB's.
 */
import type { BsonDocument, BsonValue } from './types.js';
import { isDocument } from './types.js';

export function formatValue(value: BsonValue): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    return value.length === 0 ? '[]' : `[ ${value.map(formatValue).join(', ')} ]`;
  }
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (isDocument(value)) return formatDocument(value);
  switch (value._bsontype) {
    case 'Int32':
    case 'Double':
      return String(value.value);
    case 'Long':
    case 'Decimal128':
      return value.toString();
    case 'ObjectId':
      return `ObjectId('${value.toHexString()}')`;
    case 'Binary':
      return `BinData(${value.sub_type}, ${Buffer.from(value.buffer.subarray(0, value.position)).toString('hex').toUpperCase()})`;
    case 'BSONRegExp':
      return `/${value.pattern}/${value.options}`;
    case 'Timestamp':
      return `Timestamp(${value.t}, ${value.i})`;
    case 'MinKey':
      return 'MinKey';
    case 'MaxKey':
      return 'MaxKey';
    case 'Code':
      return value.code;
    case 'BSONSymbol':
      return JSON.stringify(value.value);
    case 'DBRef':
      return `DBRef('${value.collection}', ${formatValue(value.oid)})`;
  }
}

export function formatDocument(doc: BsonDocument): string {
  const entries = Object.entries(doc);
  if (entries.length === 0) return '{}';
  return `{ ${entries.map(([key, value]) => `${key}: ${formatValue(value)}`).join(', ')} }`;
}
