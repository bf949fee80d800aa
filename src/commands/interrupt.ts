/**
 * Interruption points for long operations: maxTimeMS (MaxTimeMSExpired, 50) and killOp
 * (Interrupted, 11601), checked whenever a plan yields.
 */
import { MongoError } from '../errors/mongo-error.js';
import type { CommandContext } from './context.js';
import { optionalInteger } from './args.js';

export function interruptCheck(context: CommandContext): () => void {
  const { body, name } = context.request;
  const maxTimeMs = optionalInteger(name, body, 'maxTimeMS');
  if (maxTimeMs !== undefined && maxTimeMs < 0) {
    throw new MongoError('BadValue', `${maxTimeMs} value for maxTimeMS is out of range`);
  }
  const clock = context.server.clock;
  const deadline =
    maxTimeMs === undefined || maxTimeMs === 0 ? Infinity : clock.monotonicMs() + maxTimeMs;
  return () => {
    // Plans check for interrupts exactly when they yield, so this counts numYield too.
    context.operation.stats.numYield++;
    if (context.operation.killed) throw new MongoError('Interrupted', 'operation was interrupted');
    if (clock.monotonicMs() > deadline)
      throw new MongoError('MaxTimeMSExpired', 'operation exceeded time limit');
  };
}
