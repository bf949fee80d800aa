/**
 * What commands call to report a plan's work: keys and documents examined, whether it
 * sorted in memory, and its summary ("IXSCAN { a: 1 }"). The numbers come from the plan's
 * own stage statistics once the command is done with it (mongod's PlanSummaryStats), so
 * execution pays nothing per document for them.
 */
import type { OperationInfo } from '../context.js';
import type { PlanStage, StageStats } from '../../query/exec/plan-stage.js';
import { IndexScanStage } from '../../query/exec/index-scan-stage.js';
import { keyPatternSummary } from '../../query/plan/plan-candidates.js';
import { totals } from '../explain/render-plan.js';

export interface Examined {
  keys: number;
  docs: number;
}

/** The keys and documents a plan has examined so far (getMore reports the difference). */
export function examinedBy(stage: PlanStage): Examined {
  return totals(stage.stats());
}

function childOf(stage: PlanStage): PlanStage | undefined {
  return (stage as unknown as { child?: PlanStage }).child;
}

/**
 * The summary mongod gives a plan: its access stage. The empty plan of a collection that
 * does not exist is EOF.
 */
export function planSummaryOf(stage: PlanStage): string {
  let leaf = stage;
  for (let child = childOf(leaf); child !== undefined; child = childOf(leaf)) leaf = child;
  if (leaf instanceof IndexScanStage) return `IXSCAN ${keyPatternSummary(leaf.index)}`;
  const empty = leaf.stageName === 'VIRTUAL_SCAN' && leaf.stats().works === 0 && leaf.isEOF();
  return empty ? 'EOF' : leaf.stageName;
}

function hasSort(stats: StageStats): boolean {
  return stats.stage === 'SORT' || stats.children.some(hasSort);
}

export interface PlanOrigin {
  /** Other candidate plans were raced against the winner. */
  fromMultiPlanner?: boolean;
  fromPlanCache?: boolean;
}

/**
 * Records the work `stage` did for `operation`, less what it had already done at `since`
 * (a cursor's earlier batches). The operation's plan summary is kept if already set.
 */
export function recordPlan(
  operation: OperationInfo,
  stage: PlanStage,
  options: { since?: Examined; origin?: PlanOrigin } = {},
): void {
  const stats = stage.stats();
  const examined = totals(stats);
  const target = operation.stats;
  target.keysExamined = examined.keys - (options.since?.keys ?? 0);
  target.docsExamined = examined.docs - (options.since?.docs ?? 0);
  if (hasSort(stats)) target.hasSortStage = true;
  if (options.origin?.fromMultiPlanner === true) target.fromMultiPlanner = true;
  if (options.origin?.fromPlanCache === true) target.fromPlanCache = true;
  operation.planSummary ??= planSummaryOf(stage);
}
