/**
 * Explain for aggregate at queryPlanner verbosity: the $cursor stage shows the find plan
 * the leading stages were pushed into, rendered exactly as find's explain renders a plan,
 * followed by the remaining stages as they were parsed. When every stage was pushed into
 * the find plan, the reply has find's shape instead.
 */
import type { BsonDocument } from '../bson/types.js';
import type { PlanStage } from '../query/exec/plan-stage.js';
import type { CursorSource } from './pipeline-source.js';
import type { Pipeline } from './pipeline.js';

/** Renders one plan tree as explain shows it (the explain command's renderer). */
export type PlanRenderer = (stage: PlanStage) => BsonDocument;

export function queryPlannerOf(
  namespace: string,
  cursor: CursorSource,
  render: PlanRenderer,
): BsonDocument {
  return {
    namespace,
    indexFilterSet: false,
    parsedQuery: cursor.filter,
    planCacheUsed: cursor.plan?.fromCache ?? false,
    maxIndexedOrSolutionsReached: false,
    maxIndexedAndSolutionsReached: false,
    maxScansToExplodeReached: false,
    winningPlan: render(cursor.stage),
    rejectedPlans: (cursor.plan?.rejected ?? []).map((rejected) => render(rejected.stage)),
  };
}

export function explainPipeline(
  pipeline: Pipeline,
  namespace: string,
  cursor: CursorSource | undefined,
  render: PlanRenderer,
): BsonDocument {
  if (cursor === undefined) return { explainVersion: '1', stages: pipeline.explain() };
  const queryPlanner = queryPlannerOf(namespace, cursor, render);
  if (cursor.rest.length === 0) return { explainVersion: '1', queryPlanner };
  const rest = cursor.rest.map((stage) => stage.explain());
  return { explainVersion: '1', stages: [{ $cursor: { queryPlanner } }, ...rest] };
}
