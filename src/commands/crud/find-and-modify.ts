/**
 * findAndModify: update, replace or remove the first document the query and sort select,
 * returning it as it was before (or after, with new: true), projected by `fields`.
 */
import { Int32 } from 'bson';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { planAgain, planMatching, replanWhileStale, stillMatches } from './plan-matching.js';
import type { Matcher } from '../query-compiler.js';
import type { CompiledUpdate } from '../../query/update/types.js';
import { collectMembers } from '../../query/exec/drain.js';
import { documentOf } from '../../query/exec/plan-stage.js';
import type { WorkingMember } from '../../query/exec/plan-stage.js';
import { deleteDocument } from '../../storage/document-writes.js';
import type { CollectionEntry } from '../../storage/catalog-entry.js';
import type { CommandContext, CommandSpec, Reply } from '../context.js';
import {
  checkFields,
  collectionName,
  optionalArray,
  optionalBool,
  optionalDocument,
  wrongType,
} from '../args.js';
import { validateCollectionName } from '../namespace.js';
import { QueryCompiler } from '../query-compiler.js';
import { interruptCheck } from '../interrupt.js';
import { awaitWriteConcern, parseWriteConcern, validateWriteConcern } from '../write-concern.js';
import { ensureCollection } from './ensure-collection.js';
import { applyUpdateToRecord } from './apply-update.js';
import { upsertDocument } from './upsert.js';
import { compiledPipelineUpdate } from './pipeline-update.js';
import { recordPlan } from '../profiling/plan-metrics.js';

const fields = new Set([
  'query',
  'sort',
  'remove',
  'update',
  'new',
  'fields',
  'upsert',
  'bypassDocumentValidation',
  'collation',
  'arrayFilters',
  'hint',
  'let',
]);

interface Options {
  query: BsonDocument;
  sort: BsonDocument | undefined;
  remove: boolean;
  update: BsonDocument | BsonValue[] | undefined;
  returnNew: boolean;
  projection: BsonDocument | undefined;
  upsert: boolean;
  arrayFilters: BsonDocument[] | undefined;
  bypassValidation: boolean;
}

function parse(body: BsonDocument): Options {
  const c = 'findAndModify';
  const remove = optionalBool(c, body, 'remove') ?? false;
  const update = body.update;
  const returnNew = optionalBool(c, body, 'new') ?? false;
  const upsert = optionalBool(c, body, 'upsert') ?? false;
  if (update !== undefined && update !== null && !isDocument(update) && !Array.isArray(update)) {
    throw new MongoError('FailedToParse', 'Update argument must be either an object or an array');
  }
  if (remove && update !== undefined && update !== null)
    throw new MongoError('FailedToParse', 'Cannot specify both an update and remove=true');
  if (!remove && (update === undefined || update === null))
    throw new MongoError('FailedToParse', 'Either an update or remove=true must be specified');
  if (remove && upsert)
    throw new MongoError('FailedToParse', 'Cannot specify both upsert=true and remove=true ');
  if (remove && returnNew) {
    throw new MongoError(
      'FailedToParse',
      "Cannot specify both new=true and remove=true; 'remove' always returns the deleted document",
    );
  }
  const arrayFilters = optionalArray(c, body, 'arrayFilters');
  // mongod's IDL declares arrayFilters as array<object>; the update compiler assumes documents.
  arrayFilters?.forEach((filter, index) => {
    if (!isDocument(filter)) throw wrongType(c, `arrayFilters.${index}`, filter, "'object'");
  });
  return {
    query: optionalDocument(c, body, 'query') ?? {},
    sort: optionalDocument(c, body, 'sort'),
    remove,
    update: update ?? undefined,
    returnNew,
    projection: optionalDocument(c, body, 'fields'),
    upsert,
    arrayFilters: arrayFilters as BsonDocument[] | undefined,
    bypassValidation: optionalBool(c, body, 'bypassDocumentValidation') ?? false,
  };
}

interface Found {
  member: WorkingMember | undefined;
  matcher: Matcher;
}

async function firstMatch(
  context: CommandContext,
  compiler: QueryCompiler,
  entry: CollectionEntry | undefined,
  options: Options,
): Promise<Found> {
  const { plan, matcher } = planMatching(context, entry, {
    filter: options.query,
    sort: options.sort,
    limit: 1,
    hint: context.request.body.hint,
    compiler,
  });
  const [member] = await collectMembers(plan.stage, interruptCheck(context), 1);
  recordPlan(context.operation, plan.stage);
  return { member, matcher };
}

interface Outcome {
  value: BsonDocument | null;
  lastErrorObject: BsonDocument;
}

interface Modification {
  options: Options;
  update: CompiledUpdate | undefined;
  found: Found;
}

/** The write itself, in one storage transaction, on the document the plan found. */
function modify(
  context: CommandContext,
  entry: CollectionEntry | undefined,
  namespace: string,
  { options, update, found }: Modification,
): Outcome | typeof planAgain {
  const storage = context.server.storage;
  const stats = context.operation.stats;
  const target = entry ?? ensureCollection(context, namespace);
  const { member, matcher } = found;
  if (member === undefined) {
    const notFound = { n: new Int32(0), ...(options.remove ? {} : { updatedExisting: false }) };
    if (!options.upsert || update === undefined) return { value: null, lastErrorObject: notFound };
    const inserted = upsertDocument(
      context,
      target,
      options.query,
      update,
      options.bypassValidation,
    );
    stats.nUpserted = 1;
    return {
      value: options.returnNew ? inserted : null,
      lastErrorObject: { n: new Int32(1), updatedExisting: false, upserted: inserted._id },
    };
  }
  const recordId = member.recordId as number;
  const raw = storage.getRecord(target, recordId);
  const details: { arrayIndex?: number } = {};
  if (!stillMatches(member, raw, matcher, details)) return planAgain;
  const before = documentOf({ recordId, raw, doc: undefined });
  if (update === undefined) {
    deleteDocument(storage, target, recordId, raw, before);
    stats.ndeleted = 1;
    context.server.opcounters.delete++;
    return { value: before, lastErrorObject: { n: new Int32(1) } };
  }
  context.server.opcounters.update++;
  const applied = applyUpdateToRecord(context, target, recordId, raw, before, update, {
    arrayIndex: details.arrayIndex ?? member.arrayIndex,
    bypassValidation: options.bypassValidation,
  });
  Object.assign(stats, { nMatched: 1, nModified: applied.modified ? 1 : 0 });
  return {
    value: options.returnNew ? applied.after : before,
    lastErrorObject: { n: new Int32(1), updatedExisting: true },
  };
}

async function findAndModify(context: CommandContext): Promise<Reply> {
  const { body, database } = context.request;
  checkFields('findAndModify', body, fields);
  const namespace = validateCollectionName(database, collectionName('findAndModify', body));
  const options = parse(body);
  const concern = parseWriteConcern(body);
  validateWriteConcern(concern);
  const compiler = QueryCompiler.forCommand(context, body.let);
  const project =
    options.projection === undefined ? undefined : compiler.projection(options.projection);
  const update =
    options.update === undefined
      ? undefined
      : Array.isArray(options.update)
        ? compiledPipelineUpdate(options.update, compiler)
        : compiler.update(options.update, options.arrayFilters);
  const storage = context.server.storage;
  // What mongod's OpDebug records for findAndModify; modify() updates it.
  if (options.remove) context.operation.stats.ndeleted = 0;
  else Object.assign(context.operation.stats, { nMatched: 0, nModified: 0, nUpserted: 0 });
  const result = await replanWhileStale(async () => {
    const entry = storage.collection(namespace);
    const found = await firstMatch(context, compiler, entry, options);
    return storage.write(() => modify(context, entry, namespace, { options, update, found }));
  });
  await awaitWriteConcern(context, concern);
  const value =
    result.value !== null && project !== undefined ? project(result.value, {}) : result.value;
  return { lastErrorObject: result.lastErrorObject, value, ok: 1 };
}

export const findAndModifyCommand: CommandSpec = {
  name: 'findAndModify',
  aliases: ['findandmodify'],
  help: 'Updates or removes one document and returns it.',
  kind: 'write',
  handler: findAndModify,
};
