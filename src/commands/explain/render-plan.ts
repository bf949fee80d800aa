/**
 * Plan stages rendered the way MongoDB's explain shows them: FILTER folds into the stage
 * below it as `filter`, a LIMIT that a bounded SORT already applies disappears, index
 * scans show their key pattern and bounds, and execution statistics appear only at
 * executionStats verbosity.
 */
import type { BsonValue } from '../../bson/types.js';

export type ExplainDocument = Record<string, unknown>;
import { bsonToString } from '../../bson/to-string.js';
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
  return bsonToString(value);
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

/** A LIMIT over a SORT that already keeps only skip + limit documents (MongoDB shows none). */
function limitAbsorbedBySort(stats: StageStats): boolean {
  let below = stats.children[0];
  if (below?.stage === 'SKIP') below = below.children[0];
  return below?.stage === 'SORT' && below.details?.limitAmount !== undefined;
}

function render(stats: StageStats, scans: IndexScanStage[], verbosity: Verbosity): ExplainDocument {
  let [child] = stats.children;
  if (stats.stage === 'LIMIT' && child !== undefined && limitAbsorbedBySort(stats))
    return render(child, scans, verbosity);
  // A covered plan's filter runs on the index keys: MongoDB shows it on the IXSCAN.
  if (stats.stage === 'FILTER' && child?.stage === 'COVERED_KEYS') child = child.children[0];
  if (
    stats.stage === 'FILTER' &&
    child !== undefined &&
    (child.stage === 'COLLSCAN' || child.stage === 'FETCH' || child.stage === 'IXSCAN')
  ) {
    const below = render(child, scans, verbosity);
    const filtered = { ...below, filter: stats.details?.filter ?? {} };
    // The folded stage returns what passed the filter.
    if (verbosity !== 'queryPlanner')
      Object.assign(filtered, { nReturned: stats.nReturned, advanced: stats.nReturned });
    return filtered;
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
