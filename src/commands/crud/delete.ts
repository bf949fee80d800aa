/**
 * delete: each statement finds its documents with the same plans as find, then removes
 * them in one storage transaction per statement (limit 1 removes the first match).
 */
import { Int32 } from 'bson';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument, isNumber } from '../../bson/types.js';
import { toDouble } from '../../bson/arith.js';
import { MongoError } from '../../errors/mongo-error.js';
import { collectMembers } from '../../query/exec/drain.js';
import { documentOf } from '../../query/exec/plan-stage.js';
import { deleteDocument } from '../../storage/document-writes.js';
import { planAgain, planMatching, replanWhileStale, stillMatches } from './plan-matching.js';
import type { CommandContext, CommandSpec, Reply } from '../context.js';
import { checkFields, collectionName, optionalBool } from '../args.js';
import { checkCollation } from '../generic-arguments.js';
import { validateCollectionName } from '../namespace.js';
import { interruptCheck } from '../interrupt.js';
import { awaitWriteConcern, parseWriteConcern, validateWriteConcern } from '../write-concern.js';
import { toWriteError } from './write-errors.js';
import type { WriteError } from './write-errors.js';
import { recordPlan } from '../profiling/plan-metrics.js';
import { profileStatement } from '../profiling/profile-statement.js';

const fields = new Set(['deletes', 'ordered', 'let']);

function statementsOf(context: CommandContext): BsonValue[] {
  const fromSequence = context.request.sequences.get('deletes');
  if (fromSequence !== undefined) return fromSequence;
  const deletes = context.request.body.deletes;
  if (!Array.isArray(deletes))
    throw new MongoError(40414, "BSON field 'delete.deletes' is missing but a required field");
  return deletes;
}

interface DeleteStatement {
  filter: BsonDocument;
  multi: boolean;
  hint: BsonValue | undefined;
}

const statementFields = new Set(['q', 'limit', 'hint', 'collation', 'sampleId']);

function parseStatement(value: BsonValue): DeleteStatement {
  if (!isDocument(value)) throw new MongoError('TypeMismatch', 'delete statements must be objects');
  checkFields('delete.deletes', value, statementFields, { nested: true });
  checkCollation(value.collation);
  const filter = value.q;
  if (!isDocument(filter))
    throw new MongoError(40414, "BSON field 'delete.deletes.q' is missing but a required field");
  const limit = value.limit;
  if (!isNumber(limit))
    throw new MongoError(
      40414,
      "BSON field 'delete.deletes.limit' is missing but a required field",
    );
  const limitValue = toDouble(limit);
  if (limitValue !== 0 && limitValue !== 1) {
    throw new MongoError(
      'FailedToParse',
      `The limit field in delete objects must be 0 or 1. Got ${limitValue}`,
    );
  }
  return { filter, multi: limitValue === 0, hint: value.hint };
}

export async function deleteMatching(
  context: CommandContext,
  namespace: string,
  statement: DeleteStatement,
  checkInterrupt: () => void,
): Promise<number> {
  const storage = context.server.storage;
  return replanWhileStale(async () => {
    const entry = storage.collection(namespace);
    if (entry === undefined) return 0;
    const { plan, matcher } = planMatching(context, entry, {
      filter: statement.filter,
      hint: statement.hint,
    });
    const members = await collectMembers(
      plan.stage,
      checkInterrupt,
      statement.multi ? Infinity : 1,
    );
    recordPlan(context.operation, plan.stage);
    const deleted = storage.write(() => {
      let count = 0;
      for (const member of members) {
        const recordId = member.recordId as number;
        const raw = storage.getRecord(entry, recordId);
        if (!stillMatches(member, raw, matcher)) continue;
        deleteDocument(
          storage,
          entry,
          recordId,
          raw,
          documentOf({ recordId, raw, doc: undefined }),
        );
        count++;
      }
      return count;
    });
    // Everything the plan found changed away while it yielded: plan again, as mongod does.
    if (deleted === 0 && members.length > 0) return planAgain;
    context.operation.stats.ndeleted = deleted;
    return deleted;
  });
}

async function remove(context: CommandContext): Promise<Reply> {
  const { body, database } = context.request;
  checkFields('delete', body, fields);
  const namespace = validateCollectionName(database, collectionName('delete', body));
  const ordered = optionalBool('delete', body, 'ordered') ?? true;
  const concern = parseWriteConcern(body);
  validateWriteConcern(concern);
  const checkInterrupt = interruptCheck(context);
  // Statements are parsed up front: a malformed one fails the command, as IDL parsing does.
  const rawStatements = statementsOf(context);
  const statements = rawStatements.map(parseStatement);
  const writeErrors: WriteError[] = [];
  let deleted = 0;
  for (let index = 0; index < statements.length; index++) {
    context.server.opcounters.delete++;
    try {
      const statement = statements[index] as DeleteStatement;
      deleted += await profileStatement(context, 'remove', namespace, rawStatements[index], () =>
        deleteMatching(context, namespace, statement, checkInterrupt),
      );
    } catch (error) {
      writeErrors.push(toWriteError(index, error));
      if (ordered) break;
    }
  }
  await awaitWriteConcern(context, concern);
  const reply: Reply = { n: new Int32(deleted) };
  if (writeErrors.length > 0) reply.writeErrors = writeErrors;
  return reply;
}

export const deleteCommand: CommandSpec = {
  name: 'delete',
  help: 'Deletes documents.',
  kind: 'write',
  handler: remove,
};
