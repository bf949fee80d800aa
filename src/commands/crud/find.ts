/** find: filter, projection, sort, skip, limit, batchSize, singleBatch, maxTimeMS. */
import type { BsonDocument } from '../../bson/types.js';
import { isNumber } from '../../bson/types.js';
import { toDouble } from '../../bson/arith.js';
import { MongoError } from '../../errors/mongo-error.js';
import { buildFindPlan } from '../../query/exec/build-find-plan.js';
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

function checkHint(context: CommandContext, hint: unknown): 1 | -1 | undefined {
  if (hint === undefined || hint === null) return undefined;
  if (typeof hint === 'object' && !Array.isArray(hint)) {
    const direction = naturalDirection(hint as BsonDocument);
    if (direction !== undefined) return direction;
  }
  const namespace = `${context.request.database}.${collectionName('find', context.request.body)}`;
  const entry = context.server.storage.collection(namespace);
  const matches = entry?.indexes.some((index) =>
    typeof hint === 'string'
      ? index.name === hint
      : JSON.stringify(index.spec.key) === JSON.stringify(hint),
  );
  if (entry !== undefined && !matches) {
    throw new MongoError(
      'BadValue',
      'error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index',
    );
  }
  return undefined;
}

async function find(context: CommandContext): Promise<Reply> {
  const { body, database } = context.request;
  checkFields('find', body, fields);
  const namespace = validateCollectionName(database, collectionName('find', body));
  const filter = optionalDocument('find', body, 'filter') ?? {};
  const sort = optionalDocument('find', body, 'sort');
  const projection = optionalDocument('find', body, 'projection');
  const skip = nonNegativeInteger('find', body, 'skip') ?? 0;
  const limit = nonNegativeInteger('find', body, 'limit');
  const batchSize = nonNegativeInteger('find', body, 'batchSize');
  const singleBatch = optionalBool('find', body, 'singleBatch') ?? false;
  const hintDirection = checkHint(context, body.hint);
  const sortDirection = naturalDirection(sort);
  const checkInterrupt = interruptCheck(context);
  context.server.opcounters.query++;
  const compiler = QueryCompiler.forCommand(context, body.let);
  const entry = context.server.storage.collection(namespace);
  const stage = buildFindPlan(context.server.storage, entry, {
    filter,
    matcher: compiler.matcher(filter),
    sortPattern: sort,
    comparator: sort === undefined || sortDirection !== undefined ? undefined : compiler.sort(sort),
    naturalDirection: sortDirection ?? hintDirection ?? 1,
    project: projection === undefined ? undefined : compiler.projection(projection),
    skip,
    limit: limit === 0 ? undefined : limit,
    allowDiskUse: optionalBool('find', body, 'allowDiskUse') ?? false,
  });
  return openCursorReply(context, {
    namespace,
    stage,
    batchSize: batchSize ?? firstBatchSizeDefault,
    singleBatch,
    noCursorTimeout: optionalBool('find', body, 'noCursorTimeout') ?? false,
    checkInterrupt,
    render: keyAndRecordIdRenderer({
      returnKey: optionalBool('find', body, 'returnKey') ?? false,
      showRecordId: optionalBool('find', body, 'showRecordId') ?? false,
    }),
  });
}

export const findCommand: CommandSpec = {
  name: 'find',
  help: 'Queries a collection.',
  kind: 'read',
  handler: find,
};
