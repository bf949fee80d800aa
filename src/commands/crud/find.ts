/** find: filter, projection, sort, skip, limit, batchSize, singleBatch, maxTimeMS. */
import type { BsonDocument } from '../../bson/types.js';
import { isDocument, isNumber } from '../../bson/types.js';
import { toDouble } from '../../bson/arith.js';
import { MongoError } from '../../errors/mongo-error.js';
import { planFindQuery } from '../../query/exec/build-find-plan.js';
import type { QueryPlan } from '../../query/plan/planner.js';
import { firstBatchSizeDefault } from '../../query/exec/batch.js';
import type { CommandContext, CommandSpec, Reply } from '../context.js';
import {
  checkFields,
  collectionName,
  nonNegativeInteger,
  optionalBool,
  optionalDocument,
} from '../args.js';
import { validateCollectionName } from '../namespace.js';
import { QueryCompiler } from '../query-compiler.js';
import { interruptCheck } from '../interrupt.js';
import { keyAndRecordIdRenderer, openCursorReply } from './cursor-reply.js';
import { recordPlan } from '../profiling/plan-metrics.js';

const fields = new Set([
  'filter',
  'sort',
  'projection',
  'hint',
  'skip',
  'limit',
  'batchSize',
  'singleBatch',
  'max',
  'min',
  'returnKey',
  'showRecordId',
  'tailable',
  'oplogReplay',
  'noCursorTimeout',
  'awaitData',
  'allowPartialResults',
  'collation',
  'allowDiskUse',
  'let',
  'readOnce',
  'requestResumeToken',
  'resumeAfter',
  'term',
  '$_requestResumeToken',
  '$_resumeAfter',
]);

/** A {$natural: ±1} sort or hint picks the scan direction instead of sorting. */
export function naturalDirection(spec: BsonDocument | undefined): 1 | -1 | undefined {
  const value = spec?.$natural;
  if (value === undefined) return undefined;
  if (!isNumber(value)) throw new MongoError('BadValue', '$natural must be 1 or -1');
  return toDouble(value) < 0 ? -1 : 1;
}

/** A hint is an index name, a key pattern, or {$natural: ±1}. */
export function parseHint(hint: unknown): {
  index: string | BsonDocument | undefined;
  natural: 1 | -1 | undefined;
} {
  if (hint === undefined || hint === null) return { index: undefined, natural: undefined };
  if (typeof hint === 'string') return { index: hint, natural: undefined };
  if (isDocument(hint)) {
    const natural = naturalDirection(hint);
    if (natural !== undefined) return { index: undefined, natural };
    return { index: hint, natural: undefined };
  }
  throw new MongoError('FailedToParse', 'hint must be a string or an object');
}

/** A find command parsed and planned; explain uses it without running the cursor. */
export interface PlannedFind {
  namespace: string;
  plan: QueryPlan;
  filter: BsonDocument;
}

export function planFindCommand(context: CommandContext, body: BsonDocument): PlannedFind {
  checkFields('find', body, fields);
  const namespace = validateCollectionName(context.request.database, collectionName('find', body));
  const filter = optionalDocument('find', body, 'filter') ?? {};
  const sort = optionalDocument('find', body, 'sort');
  const projection = optionalDocument('find', body, 'projection');
  const limit = nonNegativeInteger('find', body, 'limit');
  const hint = parseHint(body.hint);
  const sortDirection = naturalDirection(sort);
  const compiler = QueryCompiler.forCommand(context, body.let);
  const projected =
    projection === undefined ? undefined : compiler.projectionWithFields(projection);
  const plan = planFindQuery(context.server.storage, context.server.storage.collection(namespace), {
    filter,
    matcher: compiler.lazyMatcher(filter),
    sortPattern: sort,
    comparator: sort === undefined || sortDirection !== undefined ? undefined : compiler.sort(sort),
    naturalDirection: sortDirection ?? hint.natural ?? 1,
    natural: sortDirection !== undefined || hint.natural !== undefined,
    hint: hint.index,
    returnKey: optionalBool('find', body, 'returnKey') ?? false,
    project: projected?.apply,
    projectionFields: projected?.fields,
    skip: nonNegativeInteger('find', body, 'skip') ?? 0,
    limit: limit === 0 ? undefined : limit,
    allowDiskUse: optionalBool('find', body, 'allowDiskUse') ?? false,
  });
  return { namespace, plan, filter };
}

async function find(context: CommandContext): Promise<Reply> {
  const { body } = context.request;
  const checkInterrupt = interruptCheck(context);
  const { namespace, plan } = planFindCommand(context, body);
  context.server.opcounters.query++;
  context.operation.planSummary = plan.summary;
  const reply = await openCursorReply(context, {
    namespace,
    stage: plan.stage,
    batchSize: nonNegativeInteger('find', body, 'batchSize') ?? firstBatchSizeDefault,
    singleBatch: optionalBool('find', body, 'singleBatch') ?? false,
    noCursorTimeout: optionalBool('find', body, 'noCursorTimeout') ?? false,
    checkInterrupt,
    render: keyAndRecordIdRenderer({
      returnKey: optionalBool('find', body, 'returnKey') ?? false,
      showRecordId: optionalBool('find', body, 'showRecordId') ?? false,
    }),
  });
  const origin = { fromMultiPlanner: plan.rejected.length > 0, fromPlanCache: plan.fromCache };
  recordPlan(context.operation, plan.stage, { origin });
  return reply;
}

export const findCommand: CommandSpec = {
  name: 'find',
  help: 'Queries a collection.',
  kind: 'read',
  handler: find,
};
