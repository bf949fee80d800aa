/**
 * update: each statement finds its documents with the same plans as find (all of them
 * for multi, the first otherwise), applies the update to each, and upserts when nothing
 * matched. nModified counts only documents that really changed.
 */
import { Int32 } from 'bson';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { planAgain, planMatching, replanWhileStale, stillMatches } from './plan-matching.js';
import type { Matcher } from '../query-compiler.js';
import type { CompiledUpdate } from '../../query/update/types.js';
import type { WorkingMember } from '../../query/exec/plan-stage.js';
import type { CollectionEntry } from '../../storage/catalog-entry.js';
import { collectMembers } from '../../query/exec/drain.js';
import { documentOf } from '../../query/exec/plan-stage.js';
import type { CommandContext, CommandSpec, Reply } from '../context.js';
import { checkFields, collectionName, optionalBool } from '../args.js';
import { validateCollectionName } from '../namespace.js';
import { QueryCompiler } from '../query-compiler.js';
import { interruptCheck } from '../interrupt.js';
import { awaitWriteConcern, parseWriteConcern, validateWriteConcern } from '../write-concern.js';
import { toWriteError } from './write-errors.js';
import type { WriteError } from './write-errors.js';
import { ensureCollection } from './ensure-collection.js';
import { applyUpdateToRecord } from './apply-update.js';
import { upsertDocument } from './upsert.js';
import { compiledPipelineUpdate, statementVariables } from './pipeline-update.js';
import { parseUpdateStatement } from './update-statement.js';
import type { UpdateStatement } from './update-statement.js';
import { recordPlan } from '../profiling/plan-metrics.js';
import { profileStatement } from '../profiling/profile-statement.js';

const fields = new Set(['updates', 'ordered', 'bypassDocumentValidation', 'let']);

function statementsOf(context: CommandContext): BsonValue[] {
  const fromSequence = context.request.sequences.get('updates');
  if (fromSequence !== undefined) return fromSequence;
  const updates = context.request.body.updates;
  if (!Array.isArray(updates))
    throw new MongoError(40414, "BSON field 'update.updates' is missing but a required field");
  return updates;
}

export interface UpdateOutcome {
  matched: number;
  modified: number;
  upsertedId: BsonValue | undefined;
}

async function runStatement(
  context: CommandContext,
  namespace: string,
  statement: UpdateStatement,
  options: { bypassValidation: boolean; checkInterrupt: () => void },
): Promise<UpdateOutcome> {
  const storage = context.server.storage;
  const compiler = QueryCompiler.forCommand(
    context,
    statementVariables(context.request.body.let, statement.constants),
  );
  const update =
    statement.pipeline === undefined
      ? compiler.update(statement.update, statement.arrayFilters, statement.multi)
      : compiledPipelineUpdate(statement.pipeline, compiler);
  return replanWhileStale(async () => {
    const entry = storage.collection(namespace);
    const { plan, matcher } = planMatching(context, entry, {
      filter: statement.filter,
      hint: statement.hint,
      compiler,
    });
    const members = await collectMembers(
      plan.stage,
      options.checkInterrupt,
      statement.multi ? Infinity : 1,
    );
    recordPlan(context.operation, plan.stage);
    return storage.write(() =>
      applyStatement(context, { namespace, entry, statement, update, options }, members, matcher),
    );
  });
}

interface Statement {
  namespace: string;
  entry: CollectionEntry | undefined;
  statement: UpdateStatement;
  update: CompiledUpdate;
  options: { bypassValidation: boolean };
}

function applyStatement(
  context: CommandContext,
  { namespace, entry, statement, update, options }: Statement,
  members: WorkingMember[],
  matcher: Matcher,
): UpdateOutcome | typeof planAgain {
  const storage = context.server.storage;
  const outcome: UpdateOutcome = { matched: 0, modified: 0, upsertedId: undefined };
  const target = entry ?? ensureCollection(context, namespace);
  for (const member of members) {
    const recordId = member.recordId as number;
    const raw = storage.getRecord(target, recordId);
    const details: { arrayIndex?: number } = {};
    if (!stillMatches(member, raw, matcher, details)) continue;
    const before = documentOf({ recordId, raw, doc: undefined });
    outcome.matched++;
    const arrayIndex = details.arrayIndex ?? member.arrayIndex;
    const applied = applyUpdateToRecord(context, target, recordId, raw, before, update, {
      arrayIndex,
      bypassValidation: options.bypassValidation,
    });
    if (applied.modified) outcome.modified++;
  }
  if (outcome.matched === 0 && members.length > 0) return planAgain;
  if (outcome.matched === 0 && statement.upsert) {
    const inserted = upsertDocument(
      context,
      target,
      statement.filter,
      update,
      options.bypassValidation,
    );
    outcome.upsertedId = inserted._id;
  }
  const upserted = outcome.upsertedId === undefined ? 0 : 1;
  Object.assign(context.operation.stats, {
    nMatched: outcome.matched,
    nModified: outcome.modified,
    nUpserted: upserted,
  });
  return outcome;
}

async function update(context: CommandContext): Promise<Reply> {
  const { body, database } = context.request;
  checkFields('update', body, fields);
  const namespace = validateCollectionName(database, collectionName('update', body));
  const ordered = optionalBool('update', body, 'ordered') ?? true;
  const bypassValidation = optionalBool('update', body, 'bypassDocumentValidation') ?? false;
  const concern = parseWriteConcern(body);
  validateWriteConcern(concern);
  const checkInterrupt = interruptCheck(context);
  // Statements are parsed up front: a malformed one fails the command, as IDL parsing does.
  const rawStatements = statementsOf(context);
  const statements = rawStatements.map(parseUpdateStatement);
  const writeErrors: WriteError[] = [];
  const upserted: BsonDocument[] = [];
  let matched = 0;
  let modified = 0;
  for (let index = 0; index < statements.length; index++) {
    context.server.opcounters.update++;
    try {
      const statement = statements[index] as UpdateStatement;
      const outcome = await profileStatement(
        context,
        'update',
        namespace,
        rawStatements[index],
        () => runStatement(context, namespace, statement, { bypassValidation, checkInterrupt }),
      );
      matched += outcome.matched;
      modified += outcome.modified;
      if (outcome.upsertedId !== undefined)
        upserted.push({ index: new Int32(index), _id: outcome.upsertedId });
    } catch (error) {
      writeErrors.push(toWriteError(index, error));
      if (ordered) break;
    }
  }
  await awaitWriteConcern(context, concern);
  const reply: Reply = { n: new Int32(matched + upserted.length), nModified: new Int32(modified) };
  if (upserted.length > 0) reply.upserted = upserted;
  if (writeErrors.length > 0) reply.writeErrors = writeErrors;
  return reply;
}

export const updateCommand: CommandSpec = {
  name: 'update',
  help: 'Updates documents.',
  kind: 'write',
  handler: update,
};
