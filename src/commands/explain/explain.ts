/**
 * explain for find, count, distinct, delete, update and findAndModify (aggregate explains
 * itself: explain: {aggregate: ...} runs it with explain: true). Writes are planned but
 * never performed, as with MongoDB's explain of a write.
 */
import { hostname } from 'node:os';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument, isNumber } from '../../bson/types.js';
import { toDouble } from '../../bson/arith.js';
import { MongoError } from '../../errors/mongo-error.js';
import { planMatching } from '../crud/plan-matching.js';
import { forEachMember } from '../../query/exec/drain.js';
import type { QueryPlan } from '../../query/plan/planner.js';
import type { CommandContext, CommandSpec, Reply } from '../context.js';
import { lookupCommand } from '../registry-lookup.js';
import { collectionName, optionalDocument } from '../args.js';
import { validateCollectionName } from '../namespace.js';
import { QueryCompiler } from '../query-compiler.js';
import { interruptCheck } from '../interrupt.js';
import { planFindCommand } from '../crud/find.js';
import { serverVersion } from '../../server/version.js';
import type { ExplainDocument, Verbosity } from './render-plan.js';
import { renderStage, totals } from './render-plan.js';

const verbosities = new Set<Verbosity>(['queryPlanner', 'executionStats', 'allPlansExecution']);

interface Planned {
  namespace: string;
  plan: QueryPlan;
  filter: BsonDocument;
  /** MongoDB's stage for the command on top of the query plan (COUNT, DELETE, UPDATE). */
  wrapper?: string;
}

function planFor(
  context: CommandContext,
  name: string,
  inner: BsonDocument,
  filter: BsonDocument,
  extra: { sort?: BsonDocument; skip?: number; limit?: number; hint?: BsonValue } = {},
): Planned {
  const namespace = validateCollectionName(context.request.database, collectionName(name, inner));
  const { plan } = planMatching(context, context.server.storage.collection(namespace), {
    filter,
    ...extra,
    hint: extra.hint ?? inner.hint,
    compiler: QueryCompiler.forCommand(context, inner.let),
  });
  return { namespace, plan, filter };
}

function firstStatement(inner: BsonDocument, field: string): BsonDocument {
  const statements = inner[field];
  const first = Array.isArray(statements) ? statements[0] : undefined;
  if (!isDocument(first))
    throw new MongoError('InvalidOptions', `explain of ${field} needs exactly one statement`);
  return first;
}

function plannedCommand(context: CommandContext, name: string, inner: BsonDocument): Planned {
  switch (name) {
    case 'find':
      return planFindCommand(context, inner);
    case 'count': {
      const query = optionalDocument('count', inner, 'query') ?? {};
      const limit = isNumber(inner.limit) ? Math.abs(toDouble(inner.limit)) : 0;
      const skip = isNumber(inner.skip) ? toDouble(inner.skip) : 0;
      return {
        ...planFor(context, name, inner, query, { skip, ...(limit > 0 ? { limit } : {}) }),
        wrapper: 'COUNT',
      };
    }
    case 'distinct':
      return planFor(context, name, inner, optionalDocument('distinct', inner, 'query') ?? {});
    case 'delete': {
      const statement = firstStatement(inner, 'deletes');
      const limit = isNumber(statement.limit) && toDouble(statement.limit) === 1 ? 1 : undefined;
      return {
        ...planFor(context, name, inner, (statement.q as BsonDocument) ?? {}, {
          ...(limit === undefined ? {} : { limit }),
          hint: statement.hint,
        }),
        wrapper: 'DELETE',
      };
    }
    case 'update': {
      const statement = firstStatement(inner, 'updates');
      return {
        ...planFor(context, name, inner, (statement.q as BsonDocument) ?? {}, {
          ...(statement.multi === true ? {} : { limit: 1 }),
          hint: statement.hint,
        }),
        wrapper: 'UPDATE',
      };
    }
    case 'findAndModify': {
      const sort = optionalDocument('findAndModify', inner, 'sort');
      const planned = planFor(
        context,
        name,
        inner,
        optionalDocument('findAndModify', inner, 'query') ?? {},
        { limit: 1, ...(sort === undefined ? {} : { sort }) },
      );
      return { ...planned, wrapper: inner.remove === true ? 'DELETE' : 'UPDATE' };
    }
    default:
      throw new MongoError('IllegalOperation', `Explain for ${name} is not supported`);
  }
}

function wrap(stage: ExplainDocument, wrapper: string | undefined): ExplainDocument {
  return wrapper === undefined ? stage : { stage: wrapper, inputStage: stage };
}

async function executionStats(
  context: CommandContext,
  planned: Planned,
  verbosity: Verbosity,
): Promise<ExplainDocument> {
  const started = context.server.clock.monotonicMs();
  let nReturned = 0;
  await forEachMember(planned.plan.stage, interruptCheck(context), () => {
    nReturned++;
  });
  // A LIMIT can stop the plan early: release its storage iterators now.
  planned.plan.stage.saveState();
  const { keys, docs } = totals(planned.plan.stage.stats());
  const stats: ExplainDocument = {
    executionSuccess: true,
    nReturned,
    executionTimeMillis: Math.round(context.server.clock.monotonicMs() - started),
    totalKeysExamined: keys,
    totalDocsExamined: docs,
    executionStages: wrap(renderStage(planned.plan.stage, verbosity), planned.wrapper),
  };
  if (verbosity === 'allPlansExecution') {
    // Every raced plan's trial, the winner's included (explain_common.cpp).
    stats.allPlansExecution = (planned.plan.trials ?? []).map((trial) => {
      const examined = totals(trial.stage.stats());
      return {
        nReturned: trial.stage.stats().nReturned,
        executionTimeMillisEstimate: 0,
        totalKeysExamined: examined.keys,
        totalDocsExamined: examined.docs,
        executionStages: renderStage(trial.stage, verbosity),
      };
    });
  }
  return stats;
}

async function explain(context: CommandContext): Promise<Reply> {
  const inner = context.request.body.explain;
  if (!isDocument(inner))
    throw new MongoError('FailedToParse', 'explain command requires a nested object');
  const verbosity = (context.request.body.verbosity ?? 'allPlansExecution') as Verbosity;
  if (!verbosities.has(verbosity))
    throw new MongoError(
      'FailedToParse',
      `verbosity string must be one of {'queryPlanner', 'executionStats', 'allPlansExecution'}`,
    );
  const name = Object.keys(inner)[0] ?? '';
  if (name === 'aggregate') {
    const spec = lookupCommand('aggregate');
    if (spec === undefined) throw new MongoError('CommandNotFound', "no such command: 'aggregate'");
    const request = {
      ...context.request,
      name,
      body: { ...inner, explain: true, $db: context.request.database },
    };
    return spec.handler({ ...context, request });
  }
  const planned = plannedCommand(context, name, inner);
  const reply: Reply = {
    explainVersion: '1',
    queryPlanner: {
      namespace: planned.namespace,
      indexFilterSet: false,
      parsedQuery: planned.filter,
      planCacheUsed: planned.plan.fromCache,
      maxIndexedOrSolutionsReached: false,
      maxIndexedAndSolutionsReached: false,
      maxScansToExplodeReached: false,
      winningPlan: wrap(renderStage(planned.plan.stage, 'queryPlanner'), planned.wrapper),
      rejectedPlans: planned.plan.rejected.map((rejected) =>
        renderStage(rejected.stage, 'queryPlanner'),
      ),
    },
  };
  if (verbosity !== 'queryPlanner')
    reply.executionStats = await executionStats(context, planned, verbosity);
  reply.command = { ...inner, $db: context.request.database };
  reply.serverInfo = {
    host: hostname(),
    port: context.server.port,
    version: serverVersion,
    gitVersion: 'shoal',
  };
  return reply;
}

export const explainCommand: CommandSpec = {
  name: 'explain',
  help: 'Explains how a find, count, distinct, update, delete, findAndModify or aggregate would run.',
  handler: explain,
};
