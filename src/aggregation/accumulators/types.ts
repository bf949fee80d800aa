/**
 * The accumulator contract shared by $group and $setWindowFields: fed one evaluated argument
 * per document, asked for the result once.
 */
import type { BsonValue } from '../../bson/types.js';

export interface Accumulator {
  /** Feeds one evaluated argument; undefined is a missing value. */
  process(value: BsonValue | undefined): void;
  /** The accumulated result; undefined means missing (the field is omitted). */
  result(): BsonValue | undefined;
}
