/** IDL-style checks of a stage's object specification, with the server's messages. */
import type { BsonDocument } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';

/** Unknown fields fail with 40415, missing required ones with 40414 (IDL strict parsing). */
export function checkSpecFields(
  stage: string,
  spec: BsonDocument,
  allowed: readonly string[],
  required: readonly string[] = [],
): void {
  for (const field of Object.keys(spec)) {
    if (!allowed.includes(field)) {
      throw new MongoError(40415, `BSON field '${stage}.${field}' is an unknown field.`);
    }
  }
  for (const field of required) {
    if (spec[field] === undefined) {
      throw new MongoError(40414, `BSON field '${stage}.${field}' is missing but a required field`);
    }
  }
}
