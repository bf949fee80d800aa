/** getMore and killCursors. */
import { Long } from 'bson';
import { MongoError } from '../../errors/mongo-error.js';
import { fillBatch } from '../../query/exec/batch.js';
import type { CommandContext, CommandSpec, Reply } from '../context.js';
import { nonNegativeInteger, requiredString, wrongType } from '../args.js';
import { validateCollectionName } from '../namespace.js';
import { interruptCheck } from '../interrupt.js';
import { examinedBy, recordPlan } from '../profiling/plan-metrics.js';

async function getMore(context: CommandContext): Promise<Reply> {
  const { body, database } = context.request;
  const id = body.getMore;
  if (!(id instanceof Long) || id._bsontype !== 'Long')
    throw wrongType('getMore', 'getMore', id, "'long'");
  const collection = requiredString('getMore', body, 'collection');
  const namespace = collection.includes('$cmd')
    ? `${database}.${collection}`
    : validateCollectionName(database, collection);
  const batchSize = nonNegativeInteger('getMore', body, 'batchSize');
  const checkInterrupt = interruptCheck(context);
  context.server.opcounters.getmore++;
  const cursors = context.server.cursors;
  const cursor = cursors.checkOut(id, namespace);
  context.operation.originatingCommand = cursor.originatingCommand;
  const examinedBefore = examinedBy(cursor.stage);
  try {
    const batch = await fillBatch(cursor, batchSize === 0 ? undefined : batchSize, checkInterrupt);
    recordPlan(context.operation, cursor.stage, { since: examinedBefore });
    cursor.nReturned += batch.documents.length;
    const exhausted = batch.exhausted;
    if (exhausted) cursors.kill(cursor.id);
    return {
      cursor: { nextBatch: batch.documents, id: exhausted ? Long.ZERO : cursor.id, ns: namespace },
      ok: 1,
    };
  } catch (error) {
    cursors.kill(cursor.id);
    throw error;
  } finally {
    if (cursors.get(cursor.id) !== undefined) cursors.checkIn(cursor);
  }
}

export const getMoreCommand: CommandSpec = {
  name: 'getMore',
  help: 'Returns the next batch of a cursor.',
  kind: 'read',
  handler: getMore,
};

export const killCursorsCommand: CommandSpec = {
  name: 'killCursors',
  help: 'Closes cursors.',
  handler: ({ server, request }) => {
    const ids = request.body.cursors;
    if (!Array.isArray(ids))
      throw new MongoError(
        40414,
        "BSON field 'killCursors.cursors' is missing but a required field",
      );
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) {
      if (!(id instanceof Long)) throw wrongType('killCursors', 'cursors', id, "'long'");
      (server.cursors.kill(id) ? killed : notFound).push(id);
    }
    return {
      cursorsKilled: killed,
      cursorsNotFound: notFound,
      cursorsAlive: [],
      cursorsUnknown: [],
      ok: 1,
    };
  },
};
