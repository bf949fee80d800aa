/**
 * $setWindowFields: the server sorts by {partitionBy, ...sortBy} and then computes each
 * output over one partition at a time. Here the sort is the external sorter (bounded like
 * $sort, spilling with allowDiskUse) and the partition is held in memory, bounded by
 * internalDocumentSourceSetWindowFieldsMaxMemoryBytes. A missing partition key is null; an
 * array is an error. Without partitionBy and sortBy the input order is kept.
 */
import type { BsonDocument, BsonValue } from '../../../bson/types.js';
import { isDocument } from '../../../bson/types.js';
import { compareValues } from '../../../bson/compare.js';
import { MongoError } from '../../../errors/mongo-error.js';
import { typeNameOf } from '../../../query/describe.js';
import { validateFieldPath } from '../../../query/field-path.js';
import type { PlanStage, StageResult } from '../../../query/exec/plan-stage.js';
import {
  UnaryStage,
  documentOf,
  memberFromDocument,
  needYield,
} from '../../../query/exec/plan-stage.js';
import type { SortComparator, SortKey } from '../../../query/sort.js';
import type { Value } from '../../expressions/values.js';
import type { BoundExpression } from '../../pipeline-compiler.js';
import type { ParseContext, PipelineEnvironment, StageDefinition } from '../../pipeline-context.js';
import { ExternalSorter } from '../spill/external-sorter.js';
import type { SortedOutput } from '../spill/external-sorter.js';
import { memberBytes, sortMemoryError } from '../sort.js';
import { checkSpecFields } from '../spec-fields.js';
import { withPath } from '../stage-support.js';
import type { Partition, WindowFunction } from './window-functions.js';
import { parseWindowFunction } from './window-parse.js';

interface Output {
  readonly path: string[];
  readonly fn: WindowFunction;
}

interface WindowSpec {
  readonly partitionBy: BoundExpression | undefined;
  readonly sortBy: SortComparator | undefined;
  /** The single sortBy field as an expression, for range windows and friends. */
  readonly sortValue: BoundExpression | undefined;
  readonly outputs: readonly Output[];
}

interface Key {
  p: BsonValue;
  k: SortKey;
}

export class SetWindowFieldsDefinition implements StageDefinition {
  readonly name = '$setWindowFields';
  readonly constraints = {};

  constructor(
    private readonly raw: BsonDocument,
    readonly spec: WindowSpec,
    private readonly environment: PipelineEnvironment,
  ) {}

  explain(): BsonDocument {
    return { $setWindowFields: this.raw };
  }

  instantiate(input: PlanStage): PlanStage {
    return new SetWindowFieldsStage(input, this.spec, this.environment);
  }
}

class SetWindowFieldsStage extends UnaryStage {
  readonly stageName = 'SET_WINDOW_FIELDS';
  private readonly sorter: ExternalSorter<Key, BsonDocument>;
  private sorted: SortedOutput<Key, BsonDocument> | undefined;
  private lookahead: { key: Key; value: BsonDocument } | undefined;
  private ready: BsonDocument[] = [];
  private position = 0;
  private exhausted = false;

  constructor(
    child: PlanStage,
    private readonly spec: WindowSpec,
    private readonly environment: PipelineEnvironment,
  ) {
    super(child);
    const limitBytes = environment.limits.sortBytes;
    const sortBy = spec.sortBy;
    this.sorter = new ExternalSorter<Key, BsonDocument>({
      compare: (a, b) =>
        compareValues(a.p, b.p) || (sortBy === undefined ? 0 : sortBy.compareKeys(a.k, b.k)),
      encode: (doc, key) => ({ p: key.p, d: doc }),
      keyOf: (record) => ({ p: record.p, k: sortBy?.keyOf(record.d as BsonDocument) ?? [] }),
      valueOf: (record) => record.d as BsonDocument,
      memoryLimitBytes: limitBytes,
      allowDiskUse: environment.allowDiskUse,
      spill: environment.spill,
      exceeded: () => sortMemoryError(limitBytes),
    });
  }

  private keyOf(doc: BsonDocument): Key {
    let p: Value = this.spec.partitionBy?.(doc) ?? null;
    if (p === undefined) p = null;
    if (Array.isArray(p))
      throw new MongoError('TypeMismatch', "Cannot 'partitionBy' an expression of type array");
    return { p, k: this.spec.sortBy?.keyOf(doc) ?? [] };
  }

  /** The next partition's documents, in order, or undefined at the end. */
  private nextPartition(): { docs: BsonDocument[]; keys: SortKey[] } | undefined {
    const sorted = this.sorted as SortedOutput<Key, BsonDocument>;
    const first = this.lookahead ?? sorted.next();
    if (first === undefined) return undefined;
    const docs = [first.value];
    const keys = [first.key.k];
    let bytes = 0;
    for (;;) {
      const next = sorted.next();
      if (next === undefined || compareValues(next.key.p, first.key.p) !== 0) {
        this.lookahead = next;
        return { docs, keys };
      }
      docs.push(next.value);
      keys.push(next.key.k);
      bytes += memberBytes(memberFromDocument(next.value));
      if (bytes > this.environment.limits.setWindowFieldsBytes && !this.environment.allowDiskUse) {
        throw new MongoError(
          5643011,
          "Exceeded max memory. Set 'allowDiskUse: true' to spill to disk",
        );
      }
    }
  }

  private compute(docs: BsonDocument[], keys: SortKey[]): BsonDocument[] {
    const sortValue = this.spec.sortValue;
    const partition: Partition = {
      docs,
      sortValues: sortValue === undefined ? undefined : docs.map((doc) => sortValue(doc)),
      sortKeys: keys,
      compareKeys: this.spec.sortBy?.compareKeys,
    };
    const results = this.spec.outputs.map((output) => output.fn.evaluate(partition));
    return docs.map((doc, i) => {
      let out = doc;
      this.spec.outputs.forEach((output, j) => {
        out = withPath(out, output.path, (results[j] as Value[])[i]);
      });
      return out;
    });
  }

  next(): StageResult {
    if (this.exhausted) return undefined;
    if (this.sorted === undefined) {
      const done = this.consumeChild((member) => {
        const doc = documentOf(member);
        this.sorter.add(this.keyOf(doc), doc, memberBytes(member));
      });
      if (!done) return needYield;
      this.sorted = this.sorter.finish();
    }
    while (this.position >= this.ready.length) {
      const partition = this.nextPartition();
      if (partition === undefined) {
        this.exhausted = true;
        this.sorted.close();
        return undefined;
      }
      this.ready = this.compute(partition.docs, partition.keys);
      this.position = 0;
    }
    this.returned++;
    return memberFromDocument(this.ready[this.position++] as BsonDocument);
  }

  override isEOF(): boolean {
    return this.exhausted;
  }
}

function parseSortBy(
  value: BsonValue | undefined,
  context: ParseContext,
): SortComparator | undefined {
  if (value === undefined) return undefined;
  if (!isDocument(value)) {
    throw new MongoError(
      'TypeMismatch',
      `BSON field '$setWindowFields.sortBy' is the wrong type '${typeNameOf(value)}', expected type 'object'`,
    );
  }
  if (Object.keys(value).length === 0)
    throw new MongoError(15976, '$sort stage must have at least one sort key');
  return context.compiler.sort(value);
}

export function parseSetWindowFields(spec: BsonValue, context: ParseContext): StageDefinition {
  if (!isDocument(spec)) {
    throw new MongoError(
      'FailedToParse',
      `the $setWindowFields stage specification must be an object, found ${typeNameOf(spec)}`,
    );
  }
  checkSpecFields('$setWindowFields', spec, ['partitionBy', 'sortBy', 'output'], ['output']);
  const compiler = context.compiler;
  const partitionBy =
    spec.partitionBy === undefined ? undefined : compiler.expression(spec.partitionBy);
  const sortBy = parseSortBy(spec.sortBy, context);
  const output = spec.output;
  if (!isDocument(output)) {
    throw new MongoError(
      'TypeMismatch',
      `BSON field '$setWindowFields.output' is the wrong type '${typeNameOf(output)}', expected type 'object'`,
    );
  }
  const shape =
    sortBy === undefined
      ? undefined
      : { fields: sortBy.fields.length, ascending: sortBy.fields[0]?.direction === 1 };
  const outputs = Object.entries(output).map(([field, value]): Output => {
    const path = validateFieldPath(field);
    if (!isDocument(value))
      throw new MongoError('FailedToParse', `The field '${field}' must be an object`);
    return { path, fn: parseWindowFunction(value, { compiler, sortBy: shape }) };
  });
  const single =
    sortBy?.fields.length === 1 ? (sortBy.fields[0] as { path: string }).path : undefined;
  const sortValue = single === undefined ? undefined : compiler.expression(`$${single}`);
  return new SetWindowFieldsDefinition(
    spec,
    { partitionBy, sortBy, sortValue, outputs },
    context.environment,
  );
}
