/**
 * $group (DocumentSourceGroup): documents are hashed by their group key with `valueKey`,
 * which agrees with MongoDB's equality (1 and 1.0 group together, documents compare field by
 * field in order); a missing key groups with null. Memory is bounded by
 * internalDocumentSourceGroupMaxMemoryBytes: beyond it, without disk use the stage fails;
 * with it, groups already in memory keep accumulating while documents of new groups are
 * spilled, sorted by key, and accumulated group by group when the input ends.
 */
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument, isNumber } from '../../bson/types.js';
import { compareValues } from '../../bson/compare.js';
import { MongoError } from '../../errors/mongo-error.js';
import type { PlanStage, StageResult } from '../../query/exec/plan-stage.js';
import {
  UnaryStage,
  documentOf,
  memberFromDocument,
  needYield,
} from '../../query/exec/plan-stage.js';
import type { Accumulator, AccumulatorFactory } from '../accumulators/accumulator.js';
import { approximateSize } from '../accumulators/memory.js';
import { valueKey } from '../expressions/value-key.js';
import { setField } from '../expressions/field-path.js';
import type { BoundExpression, StageCompiler } from '../pipeline-compiler.js';
import type { ParseContext, PipelineEnvironment, StageDefinition } from '../pipeline-context.js';
import { ExternalSorter } from './spill/external-sorter.js';
import type { SortedOutput } from './spill/external-sorter.js';

/** Accumulators whose state grows with their input, so their input counts toward memory. */
const collecting = new Set([
  '$push',
  '$addToSet',
  '$firstN',
  '$lastN',
  '$minN',
  '$maxN',
  '$topN',
  '$bottomN',
  '$percentile',
  '$median',
  '$mergeObjects',
]);

/** Bytes a group costs besides its key (the server's per-group overhead is of this order). */
const groupOverheadBytes = 64;

export interface GroupAccumulator {
  readonly field: string;
  readonly name: string;
  readonly factory: AccumulatorFactory;
}

export function groupMemoryError(): MongoError {
  return new MongoError(
    'QueryExceededMemoryLimitNoDiskUseAllowed',
    "Exceeded memory limit for $group, but didn't allow external sort. Pass allowDiskUse:true to opt in.",
  );
}

/** The _id expression: missing becomes null; {} is a constant (parseIdExpression). */
export function compileGroupId(spec: BsonValue, compiler: StageCompiler): BoundExpression {
  if (isDocument(spec)) {
    const keys = Object.keys(spec);
    const first = keys[0];
    if (first !== undefined && !first.startsWith('$')) {
      for (const key of keys) {
        const value = spec[key];
        if (typeof value === 'boolean' || isNumber(value)) {
          throw new MongoError(17390, '$group does not support inclusion-style expressions');
        }
      }
    }
  }
  const expression = compiler.expression(spec);
  return (root) => {
    const value = expression(root);
    return value === undefined ? null : value;
  };
}

/** One `field: {$acc: argument}` of a $group (AccumulationStatement::parseAccumulationStatement). */
export function parseAccumulationStatement(
  field: string,
  value: BsonValue,
  compiler: StageCompiler,
): GroupAccumulator {
  const keys = isDocument(value) ? Object.keys(value) : [];
  if (!isDocument(value) || !(keys[0] ?? '').startsWith('$')) {
    throw new MongoError(40234, `The field '${field}' must be an accumulator object`);
  }
  if (field.includes('.'))
    throw new MongoError(40235, `The field name '${field}' cannot contain '.'`);
  if (field.startsWith('$'))
    throw new MongoError(40236, `The field name '${field}' cannot be an operator name`);
  if (keys.length !== 1)
    throw new MongoError(40238, `The field '${field}' must specify one accumulator`);
  const name = keys[0] as string;
  return { field, name, factory: compiler.accumulator(name, value[name]) };
}

export class GroupDefinition implements StageDefinition {
  readonly name = '$group';
  readonly constraints = {};

  constructor(
    private readonly spec: BsonDocument,
    readonly id: BoundExpression,
    readonly accumulators: readonly GroupAccumulator[],
    private readonly compiler: StageCompiler,
    private readonly environment: PipelineEnvironment,
  ) {}

  explain(): BsonDocument {
    return { $group: this.spec };
  }

  instantiate(input: PlanStage): PlanStage {
    return new GroupStage(input, this, this.compiler, this.environment);
  }
}

interface Group {
  id: BsonValue;
  states: Accumulator[];
}

/** A spilled document: its key and its accumulators' arguments ({} for missing). */
function spillRecord(id: BsonValue, args: (BsonValue | undefined)[]): BsonDocument {
  return { k: id, a: args.map((arg) => (arg === undefined ? {} : { v: arg })) };
}

export class GroupStage extends UnaryStage {
  readonly stageName = 'GROUP';
  private readonly groups = new Map<string, Group>();
  private memoryBytes = 0;
  private spilled: ExternalSorter<BsonValue, BsonDocument> | undefined;
  private output: (() => BsonDocument | undefined) | undefined;
  private exhausted = false;
  private readonly args: (BsonValue | undefined)[];

  constructor(
    child: PlanStage,
    private readonly definition: GroupDefinition,
    private readonly compiler: StageCompiler,
    private readonly environment: PipelineEnvironment,
  ) {
    super(child);
    this.args = new Array<BsonValue | undefined>(definition.accumulators.length);
  }

  private newGroup(id: BsonValue): Group {
    const initializer: BsonDocument = { _id: id };
    const states = this.definition.accumulators.map((accumulator) =>
      accumulator.factory.create(initializer, this.compiler.variables),
    );
    return { id, states };
  }

  private evaluateArguments(doc: BsonDocument): void {
    const accumulators = this.definition.accumulators;
    for (let i = 0; i < accumulators.length; i++) {
      this.args[i] = (accumulators[i] as GroupAccumulator).factory.argument(
        doc,
        this.compiler.variables,
      );
    }
  }

  private add(doc: BsonDocument): void {
    const id = this.definition.id(doc);
    const key = valueKey(id);
    let group = this.groups.get(key);
    this.evaluateArguments(doc);
    if (group === undefined) {
      if (this.spilled !== undefined) {
        const record = spillRecord(id, this.args);
        this.spilled.add(id, record, approximateSize(record));
        return;
      }
      group = this.newGroup(id);
      this.groups.set(key, group);
      this.memoryBytes += approximateSize(id) + groupOverheadBytes + 16 * group.states.length;
    }
    const accumulators = this.definition.accumulators;
    for (let i = 0; i < accumulators.length; i++) {
      const value = this.args[i];
      (group.states[i] as Accumulator).process(value);
      if (collecting.has((accumulators[i] as GroupAccumulator).name))
        this.memoryBytes += approximateSize(value);
    }
    if (this.memoryBytes > this.environment.limits.groupBytes && this.spilled === undefined) {
      if (!this.environment.allowDiskUse) throw groupMemoryError();
      this.startSpilling();
    }
  }

  private startSpilling(): void {
    this.spilled = new ExternalSorter<BsonValue, BsonDocument>({
      compare: compareValues,
      encode: (record) => record,
      keyOf: (record) => record.k,
      valueOf: (record) => record,
      memoryLimitBytes: this.environment.limits.groupBytes,
      allowDiskUse: true,
      spill: this.environment.spill,
      exceeded: groupMemoryError,
    });
  }

  private result(group: Group): BsonDocument {
    const out: BsonDocument = { _id: group.id };
    const accumulators = this.definition.accumulators;
    for (let i = 0; i < accumulators.length; i++) {
      const value = (group.states[i] as Accumulator).result();
      if (value !== undefined) setField(out, (accumulators[i] as GroupAccumulator).field, value);
    }
    return out;
  }

  /** Groups from the spilled records (in key order), then the groups kept in memory. */
  private startOutput(): void {
    const inMemory = this.groups.values();
    let spilled: SortedOutput<BsonValue, BsonDocument> | undefined = this.spilled?.finish();
    let pending = spilled?.next();
    const nextSpilledGroup = (): BsonDocument | undefined => {
      if (pending === undefined) return undefined;
      const group = this.newGroup(pending.key);
      while (pending !== undefined && compareValues(pending.key, group.id) === 0) {
        const args = pending.value.a as BsonDocument[];
        group.states.forEach((state, i) => state.process((args[i] as BsonDocument).v));
        pending = spilled?.next();
      }
      return this.result(group);
    };
    this.output = () => {
      const fromSpill = nextSpilledGroup();
      if (fromSpill !== undefined) return fromSpill;
      if (spilled !== undefined) {
        spilled.close();
        spilled = undefined;
      }
      const next = inMemory.next();
      return next.done === true ? undefined : this.result(next.value);
    };
  }

  next(): StageResult {
    if (this.output === undefined) {
      if (!this.consumeChild((member) => this.add(documentOf(member)))) return needYield;
      this.startOutput();
    }
    const doc = (this.output as () => BsonDocument | undefined)();
    if (doc === undefined) {
      this.exhausted = true;
      return undefined;
    }
    this.returned++;
    return memberFromDocument(doc);
  }

  override isEOF(): boolean {
    return this.exhausted;
  }

  protected override details(): BsonDocument {
    return {
      usedDisk: this.spilled !== undefined,
      spills: this.spilled?.spills ?? 0,
    } as unknown as BsonDocument;
  }
}

/** A $group definition from its parts (also for the stages that desugar to $group). */
export function makeGroup(
  context: ParseContext,
  spec: BsonDocument,
  idSpec: BsonValue,
  accumulators: readonly GroupAccumulator[],
): GroupDefinition {
  const id = compileGroupId(idSpec, context.compiler);
  return new GroupDefinition(spec, id, accumulators, context.compiler, context.environment);
}

export function parseGroup(spec: BsonValue, context: ParseContext): StageDefinition {
  if (!isDocument(spec))
    throw new MongoError(15947, "a group's fields must be specified in an object");
  let id: BoundExpression | undefined;
  const accumulators: GroupAccumulator[] = [];
  for (const [field, value] of Object.entries(spec)) {
    if (field === '_id') id = compileGroupId(value, context.compiler);
    else accumulators.push(parseAccumulationStatement(field, value, context.compiler));
  }
  if (id === undefined) throw new MongoError(15955, 'a group specification must include an _id');
  return new GroupDefinition(spec, id, accumulators, context.compiler, context.environment);
}
