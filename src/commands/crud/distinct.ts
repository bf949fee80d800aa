/**
 * distinct: the values at a path among matching documents, arrays unwound one level,
 * returned in MongoDB's sort order (mongod collects them in an ordered set).
 */
import type { BsonValue } from '../../bson/types.js';
import { compareValues } from '../../bson/compare.js';
import { encodeDocument } from '../../bson/serialize.js';
import { MongoError } from '../../errors/mongo-error.js';
import { planMatching } from './plan-matching.js';
import { forEachMember } from '../../query/exec/drain.js';
import { documentOf } from '../../query/exec/plan-stage.js';
import { distinctValues } from '../../query/path.js';
import type { CommandContext, CommandSpec, Reply } from '../context.js';
import { checkFields, collectionName, optionalDocument, requiredString } from '../args.js';
import { validateCollectionName } from '../namespace.js';
import { interruptCheck } from '../interrupt.js';
import { bsonObjectSizeMax } from '../../wire/limits.js';
import { recordPlan } from '../profiling/plan-metrics.js';

const fields = new Set(['key', 'query', 'collation', 'hint']);

async function distinct(context: CommandContext): Promise<Reply> {
  const { body, database } = context.request;
  checkFields('distinct', body, fields);
  const namespace = validateCollectionName(database, collectionName('distinct', body));
  const key = requiredString('distinct', body, 'key');
  const query = optionalDocument('distinct', body, 'query') ?? {};
  const entry = context.server.storage.collection(namespace);
  const { stage } = planMatching(context, entry, { filter: query, hint: body.hint }).plan;
  const values: BsonValue[] = [];
  await forEachMember(stage, interruptCheck(context), (member) => {
    values.push(...distinctValues(documentOf(member), key));
  });
  recordPlan(context.operation, stage);
  values.sort(compareValues);
  const unique = values.filter((value, i) => i === 0 || compareValues(values[i - 1], value) !== 0);
  if (encodeDocument({ values: unique }).length > bsonObjectSizeMax) {
    throw new MongoError(17217, `distinct too big, 16mb cap`);
  }
  return { values: unique };
}

export const distinctCommand: CommandSpec = {
  name: 'distinct',
  help: 'Returns the distinct values of a field.',
  kind: 'read',
  handler: distinct,
};
