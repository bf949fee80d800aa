/**
 * count: the live counter when there is no query, skip or limit; otherwise the find plan
 * run to the end. A negative limit counts like its absolute value, as in MongoDB.
 */
import { Int32 } from 'bson';
import { isNumber } from '../../bson/types.js';
import { toDouble } from '../../bson/arith.js';
import { planMatching } from './plan-matching.js';
import { forEachMember } from '../../query/exec/drain.js';
import type { CommandContext, CommandSpec, Reply } from '../context.js';
import { checkFields, collectionName, optionalDocument, wrongType } from '../args.js';
import { validateCollectionName } from '../namespace.js';
import { interruptCheck } from '../interrupt.js';
import { MongoError } from '../../errors/mongo-error.js';
import { recordPlan } from '../profiling/plan-metrics.js';

const fields = new Set(['query', 'limit', 'skip', 'hint', 'collation', 'fields']);

function integerField(context: CommandContext, field: string): number {
  const value = context.request.body[field];
  if (value === undefined || value === null) return 0;
  if (!isNumber(value)) throw wrongType('count', field, value, "'[long, int, decimal, double]'");
  return Math.trunc(toDouble(value));
}

async function count(context: CommandContext): Promise<Reply> {
  const { body, database } = context.request;
  checkFields('count', body, fields);
  const namespace = validateCollectionName(database, collectionName('count', body));
  const query = optionalDocument('count', body, 'query') ?? {};
  const skip = integerField(context, 'skip');
  if (skip < 0) throw new MongoError('BadValue', 'skip value is negative in count query');
  const limit = Math.abs(integerField(context, 'limit'));
  context.server.opcounters.command++;
  const entry = context.server.storage.collection(namespace);
  if (entry === undefined) return { n: new Int32(0) };
  if (Object.keys(query).length === 0 && (body.hint === undefined || body.hint === null)) {
    context.operation.planSummary = 'RECORD_STORE_FAST_COUNT';
    const available = Math.max(0, entry.count - skip);
    return { n: new Int32(limit === 0 ? available : Math.min(available, limit)) };
  }
  const { stage } = planMatching(context, entry, {
    filter: query,
    skip,
    limit: limit === 0 ? undefined : limit,
    hint: body.hint,
  }).plan;
  let n = 0;
  await forEachMember(stage, interruptCheck(context), () => {
    n++;
  });
  recordPlan(context.operation, stage);
  return { n: new Int32(n) };
}

export const countCommand: CommandSpec = {
  name: 'count',
  help: 'Counts the documents matching a query.',
  kind: 'read',
  handler: count,
};
