/**
 * Explain for aggregate at queryPlanner verbosity: the $cursor stage shows the find plan
 * the leading stages were pushed into, in find's explain shape (winningPlan with
 * inputStage), followed by the remaining stages as they were parsed.
 */
import type { BsonDocument } from '../bson/types.js';
import type { StageStats } from '../query/exec/plan-stage.js';
import type { CursorSource } from './pipeline-source.js';
import type { Pipeline } from './pipeline.js';

/** A plan node as explain shows it: stage, its details, then inputStage(s). */
export function winningPlanOf(stats: StageStats, filter: BsonDocument): BsonDocument {
  const child = stats.children[0];
  if (stats.stage === 'FILTER' && child !== undefined && stats.children.length === 1) {
    // The server puts a scan's filter on the scan itself.
    return { ...winningPlanOf(child, {}), filter };
  }
  const node: BsonDocument = { stage: stats.stage };
  if (stats.details !== undefined) Object.assign(node, stats.details);
  if (stats.children.length === 1) node.inputStage = winningPlanOf(child as StageStats, filter);
  else if (stats.children.length > 1) node.inputStages = stats.children.map((input) => winningPlanOf(input, filter));
  return node;
}

export function queryPlannerOf(namespace: string, cursor: CursorSource): BsonDocument {
  return {
    namespace,
    indexFilterSet: false,
    parsedQuery: cursor.filter,
    maxIndexedOrSolutionsReached: false,
    maxIndexedAndSolutionsReached: false,
    maxScansToExplodeReached: false,
    winningPlan: winningPlanOf(cursor.plan.stats(), cursor.filter),
    rejectedPlans: [],
  };
}

/**
 * The explain document: the find-like form when everything was pushed into the find plan,
 * otherwise {stages: [{$cursor}, ...]}.
 */
export function explainPipeline(
  pipeline: Pipeline,
  namespace: string,
  cursor: CursorSource | undefined,
): BsonDocument {
  if (cursor === undefined) {
    return { explainVersion: '1', stages: pipeline.explain() };
  }
  const queryPlanner = queryPlannerOf(namespace, cursor);
  if (cursor.rest.length === 0) return { explainVersion: '1', queryPlanner };
  const rest = cursor.rest.map((stage) => stage.explain());
  return { explainVersion: '1', stages: [{ $cursor: { queryPlanner } }, ...rest] };
}
