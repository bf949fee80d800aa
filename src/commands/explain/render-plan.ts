/**
 * Plan stages rendered the way MongoDB's explain shows them: FILTER folds into the stage
 * below it as `filter`, index scans show their key pattern and bounds, and execution
 * statistics appear only at executionStats verbosity.
 */
import type { BsonValue } from '../../bson/types.js';

export type ExplainDocument = Record<string, unknown>;
import { formatValue } from '../../bson/format-value.js';
import { isNumber } from '../../bson/types.js';
import { toDouble } from '../../bson/arith.js';
import type { PlanStage, StageStats } from '../../query/exec/plan-stage.js';
import { IndexScanStage } from '../../query/exec/index-scan-stage.js';
import type { Interval } from '../../query/plan/intervals.js';

export type Verbosity = 'queryPlanner' | 'executionStats' | 'allPlansExecution';

function formatBound(value: BsonValue): string {
  if (isNumber(value)) {
    const number = toDouble(value);
    if (Number.isNaN(number)) return 'nan.0';
    if (number === Infinity) return 'inf.0';
    if (number === -Infinity) return '-inf.0';
  }
  if (value !== null && typeof value === 'object' && '_bsontype' in value) {
    if (value._bsontype === 'MinKey') return 'MinKey';
    if (value._bsontype === 'MaxKey') return 'MaxKey';
  }
  return formatValue(value);
}

export function formatInterval(interval: Interval): string {
  return `${interval.lowInclusive ? '[' : '('}${formatBound(interval.low)}, ${formatBound(interval.high)}${interval.highInclusive ? ']' : ')'}`;
}

/** Finds the IndexScanStage objects of a plan, in tree order. */
function indexScans(stage: PlanStage, out: IndexScanStage[] = []): IndexScanStage[] {
  if (stage instanceof IndexScanStage) out.push(stage);
  const child = (stage as unknown as { child?: PlanStage }).child;
  if (child !== undefined) indexScans(child, out);
  return out;
}

function indexScanDetails(scan: IndexScanStage): ExplainDocument {
  const { index, options } = scan;
  const indexBounds: ExplainDocument = {};
  index.fields.forEach((field, i) => {
    const intervals = options.bounds[i] ?? [];
    const ordered =
      field.direction * options.direction === -1
        ? [...intervals].reverse().map((interval) => ({
            low: interval.high,
            lowInclusive: interval.highInclusive,
            high: interval.low,
            highInclusive: interval.lowInclusive,
          }))
        : intervals;
    indexBounds[field.path] = ordered.map(formatInterval);
  });
  const multiKeyPaths: ExplainDocument = {};
  for (const field of index.fields)
    multiKeyPaths[field.path] = index.multikey ? [field.path.split('.')[0] as string] : [];
  return {
    keyPattern: index.spec.key,
    indexName: index.name,
    isMultiKey: index.multikey,
    multiKeyPaths,
    isUnique: index.unique,
    isSparse: index.sparse,
    isPartial: index.partialFilter !== undefined,
    indexVersion: 2,
    direction: options.direction === 1 ? 'forward' : 'backward',
    indexBounds,
  };
}

function withExecution(node: ExplainDocument, stats: StageStats): ExplainDocument {
  const rendered: Record<string, unknown> = {
    ...node,
    nReturned: stats.nReturned,
    executionTimeMillisEstimate: 0,
    works: stats.works,
    advanced: stats.nReturned,
    isEOF: 1,
  };
  if (stats.keysExamined !== undefined) rendered.keysExamined = stats.keysExamined;
  if (stats.docsExamined !== undefined) rendered.docsExamined = stats.docsExamined;
  return rendered;
}

function render(stats: StageStats, scans: IndexScanStage[], verbosity: Verbosity): ExplainDocument {
  const [child] = stats.children;
  if (
    stats.stage === 'FILTER' &&
    child !== undefined &&
    (child.stage === 'COLLSCAN' || child.stage === 'FETCH')
  ) {
    const below = render(child, scans, verbosity);
    return { ...below, filter: stats.details?.filter ?? {} };
  }
  if (stats.stage === 'COVERED_KEYS' && child !== undefined) return render(child, scans, verbosity);
  let node: Record<string, unknown> = { stage: stats.stage, ...(stats.details ?? {}) };
  if (stats.stage === 'IXSCAN') {
    const scan = scans.shift();
    node = scan === undefined ? node : { stage: 'IXSCAN', ...indexScanDetails(scan) };
  }
  if (verbosity !== 'queryPlanner') node = withExecution(node, stats);
  if (child !== undefined) node.inputStage = render(child, scans, verbosity);
  return node;
}

export function renderStage(stage: PlanStage, verbosity: Verbosity): ExplainDocument {
  return render(stage.stats(), indexScans(stage), verbosity);
}

export function totals(stats: StageStats): { keys: number; docs: number } {
  const own = { keys: stats.keysExamined ?? 0, docs: stats.docsExamined ?? 0 };
  for (const child of stats.children) {
    const below = totals(child);
    own.keys += below.keys;
    own.docs += below.docs;
  }
  return own;
}
