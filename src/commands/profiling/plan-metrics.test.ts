/**
 * What commands report about their plans: the summary (mongod's planSummary), whether a
 * blocking sort ran (hasSortStage), and per-batch examined counts for getMore
 * (getmore_cmd.cpp subtracts the counts from before the batch).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Int32 } from 'bson';
import type { OperationInfo } from '../context.js';
import { ValuesStage } from '../../query/exec/basic-stages.js';
import { SortStage } from '../../query/exec/sort-stage.js';
import type { PlanStage, StageStats } from '../../query/exec/plan-stage.js';
import { planSummaryOf, recordPlan } from './plan-metrics.js';

function operation(): OperationInfo {
  return {
    opid: 1,
    connectionId: 1,
    command: {},
    namespace: 't.$cmd',
    startedAtMonotonicMs: 0,
    killed: false,
    stats: { numYield: 0 },
  };
}

/** A leaf that claims fixed examined counts, like a scan part-way through. */
function scanStub(keys: number, docs: number): PlanStage {
  return {
    stageName: 'COLLSCAN',
    next: () => undefined,
    isEOF: () => true,
    saveState: () => {},
    stats: (): StageStats => ({
      stage: 'COLLSCAN',
      nReturned: docs,
      works: docs,
      keysExamined: keys,
      docsExamined: docs,
      children: [],
    }),
  };
}

test('the plan of a collection that does not exist is EOF', () => {
  const op = operation();
  recordPlan(op, new ValuesStage([]));
  assert.equal(op.planSummary, 'EOF');
  assert.equal(op.stats.keysExamined, 0);
  assert.equal(op.stats.docsExamined, 0);
  assert.equal(op.stats.hasSortStage, undefined);
});

test('a values cursor that returned documents is not EOF', () => {
  const stage = new ValuesStage([{ a: new Int32(1) }]);
  stage.next();
  assert.equal(planSummaryOf(stage), 'VIRTUAL_SCAN');
});

test('a blocking sort is reported and the summary names the access stage', () => {
  const op = operation();
  const sort = new SortStage(scanStub(0, 7), () => 0, { allowDiskUse: false, sortPattern: {} });
  recordPlan(op, sort, { origin: { fromMultiPlanner: true } });
  assert.equal(op.planSummary, 'COLLSCAN');
  assert.equal(op.stats.hasSortStage, true);
  assert.equal(op.stats.fromMultiPlanner, true);
  assert.equal(op.stats.fromPlanCache, undefined);
  assert.equal(op.stats.docsExamined, 7);
});

test('getMore reports only the work of its own batch and keeps a summary already set', () => {
  const op = operation();
  op.planSummary = 'IXSCAN { a: 1 }';
  recordPlan(op, scanStub(10, 12), { since: { keys: 4, docs: 5 } });
  assert.equal(op.stats.keysExamined, 6);
  assert.equal(op.stats.docsExamined, 7);
  assert.equal(op.planSummary, 'IXSCAN { a: 1 }');
});
