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
