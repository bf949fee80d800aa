/**
 * OP_MSG kind-1 document sequences, decoded only when a handler asks: inserts validate
 * and store the raw bytes without ever building objects; other commands get decoded
 * documents, checked against the same limits as the command body.
 */
import { deserialize } from 'bson';
import type { BsonDocument } from '../bson/types.js';
import { decodeOptions } from '../bson/types.js';
import { bsonDepthMax, checkDocumentLimits, mayExceedDepth } from '../bson/document-limits.js';
import { MongoError } from '../errors/mongo-error.js';

export class CommandSequences {
  private readonly decoded = new Map<string, BsonDocument[]>();

  constructor(private readonly raws: ReadonlyMap<string, Buffer[]> = new Map()) {}

  has(identifier: string): boolean {
    return this.raws.has(identifier);
  }

  names(): string[] {
    return [...this.raws.keys()];
  }

  /** The documents' bytes as received (validated only for framing). */
  raw(identifier: string): Buffer[] | undefined {
    return this.raws.get(identifier);
  }

  get(identifier: string): BsonDocument[] | undefined {
    const cached = this.decoded.get(identifier);
    if (cached !== undefined) return cached;
    const raws = this.raws.get(identifier);
    if (raws === undefined) return undefined;
    const documents = raws.map(decodeSequenceDocument);
    this.decoded.set(identifier, documents);
    return documents;
  }
}

export function decodeSequenceDocument(bytes: Buffer): BsonDocument {
  let decoded: BsonDocument;
  try {
    decoded = deserialize(bytes, decodeOptions);
  } catch (error) {
    throw new MongoError('InvalidBSON', `invalid BSON in command: ${(error as Error).message}`);
  }
  if (mayExceedDepth(bytes.length, bsonDepthMax)) checkDocumentLimits(decoded, bsonDepthMax);
  return decoded;
}
