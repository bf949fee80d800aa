/**
 * Write concern on a standalone: w:1 and w:"majority" acknowledge after the write
 * commits; j:true waits for the group-commit fsync. w > 1 or a tag is an error, exactly
 * as mongod reports it when not running as a replica set.
 */
import type { BsonDocument } from '../bson/types.js';
import { isDocument, isNumber } from '../bson/types.js';
import { toDouble } from '../bson/arith.js';
import { MongoError } from '../errors/mongo-error.js';
import type { CommandContext } from './context.js';

export interface WriteConcern {
  w: number | string;
  j: boolean | undefined;
  wtimeoutMs: number;
}

export const writeConcernNodesMax = 50;

export function parseWriteConcern(body: BsonDocument): WriteConcern {
  const value = body.writeConcern;
  const concern: WriteConcern = { w: 1, j: undefined, wtimeoutMs: 0 };
  if (value === undefined || value === null) return concern;
  if (!isDocument(value)) throw new MongoError('FailedToParse', 'writeConcern must be an object');
  const { w, j, wtimeout } = value;
  if (w !== undefined) {
    if (isNumber(w)) {
      const nodes = toDouble(w);
      if (!Number.isInteger(nodes) || nodes < 0 || nodes > writeConcernNodesMax) {
        throw new MongoError(
          'FailedToParse',
          `w has to be a non-negative number and not greater than ${writeConcernNodesMax}; found: ${nodes}`,
        );
      }
      concern.w = nodes;
    } else if (typeof w === 'string') {
      concern.w = w;
    } else {
      throw new MongoError('FailedToParse', 'w has to be a number or a string');
    }
  }
  if (j !== undefined) {
    if (typeof j === 'boolean') concern.j = j;
    else if (isNumber(j)) concern.j = toDouble(j) !== 0;
    else throw new MongoError('FailedToParse', 'j must be numeric or a boolean value');
  }
  if (wtimeout !== undefined && isNumber(wtimeout)) concern.wtimeoutMs = toDouble(wtimeout);
  return concern;
}

/** Checks a write concern before the write, as mongod does for a non-replicated host. */
export function validateWriteConcern(concern: WriteConcern): void {
  if (typeof concern.w === 'number' && concern.w > 1) {
    throw new MongoError('BadValue', "cannot use 'w' > 1 when a host is not replicated");
  }
  if (typeof concern.w === 'string' && concern.w !== 'majority') {
    throw new MongoError(
      'BadValue',
      `cannot use non-majority 'w' mode "${concern.w}" when a host is not a member of a replica set`,
    );
  }
}

/** Waits until the write concern is satisfied for every write this command made. */
export async function awaitWriteConcern(
  context: CommandContext,
  concern: WriteConcern,
): Promise<void> {
  if (concern.j === true) await context.server.storage.sync();
}
