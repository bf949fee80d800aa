/**
 * Planning the documents a command reads (count, distinct, update, delete, findAndModify,
 * explain): one place that turns a filter, an optional sort/skip/limit and a hint into a
 * query plan, so every command honours hints and uses indexes the same way find does.
 */
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import type { CollectionEntry } from '../../storage/catalog-entry.js';
import { planFindQuery } from '../../query/exec/build-find-plan.js';
import type { QueryPlan } from '../../query/plan/planner.js';
import type { CommandContext } from '../context.js';
import { QueryCompiler } from '../query-compiler.js';
import type { Matcher } from '../query-compiler.js';
import { parseHint } from './find.js';
import { MongoError } from '../../errors/mongo-error.js';
import { documentOf } from '../../query/exec/plan-stage.js';
import type { WorkingMember } from '../../query/exec/plan-stage.js';

export interface MatchingRequest {
  filter: BsonDocument;
  sort?: BsonDocument | undefined;
  skip?: number;
  limit?: number | undefined;
  hint?: BsonValue | undefined;
  /** Defaults to a compiler for the command's `let`. */
  compiler?: QueryCompiler;
}

export interface MatchingPlan {
  plan: QueryPlan;
  matcher: Matcher;
  compiler: QueryCompiler;
}

export function planMatching(
  context: CommandContext,
  entry: CollectionEntry | undefined,
  request: MatchingRequest,
): MatchingPlan {
  const compiler = request.compiler ?? QueryCompiler.forCommand(context, context.request.body.let);
  const matcher = compiler.matcher(request.filter);
  const hint = parseHint(request.hint);
  const plan = planFindQuery(context.server.storage, entry, {
    filter: request.filter,
    matcher,
    sortPattern: request.sort,
    comparator: request.sort === undefined ? undefined : compiler.sort(request.sort),
    naturalDirection: hint.natural ?? 1,
    natural: hint.natural !== undefined,
    hint: hint.index,
    project: undefined,
    skip: request.skip ?? 0,
    limit: request.limit,
    allowDiskUse: false,
  });
  return { plan, matcher, compiler };
}

/**
 * Whether a document the plan found still qualifies now that the write transaction holds
 * it. A plan yields between batches, so another connection may have changed or removed the
 * document since; like mongod's `ensureStillMatches`, an unchanged record is trusted and a
 * changed one is matched again (which also refreshes `details.arrayIndex`).
 */
export function stillMatches(
  member: WorkingMember,
  current: Buffer | undefined,
  matcher: Matcher,
  details?: { arrayIndex?: number },
): current is Buffer {
  if (current === undefined) return false;
  if (member.raw !== undefined && current.equals(member.raw)) return true;
  const recordId = member.recordId;
  return matcher(documentOf({ recordId, raw: current, doc: undefined }), details);
}

/**
 * How many times a write may plan again because concurrent writers keep changing what it
 * found. Each retry means another write committed, so the system makes progress; the limit
 * only keeps a planner/matcher disagreement from spinning forever.
 */
export const planAgainMax = 1000;

/** What a write's attempt returns when everything its plan found changed away. */
export const planAgain = Symbol('planAgain');

/** Runs `attempt` (plan, then write) until it does not ask to plan again. */
export async function replanWhileStale<T>(
  attempt: () => Promise<T | typeof planAgain>,
): Promise<T> {
  for (let attempts = 0; attempts < planAgainMax; attempts++) {
    const result = await attempt();
    if (result !== planAgain) return result;
  }
  throw new MongoError(
    'WriteConflict',
    `gave up after ${planAgainMax} attempts: the documents this write selected kept changing`,
  );
}
