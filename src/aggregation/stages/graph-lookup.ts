/**
 * $graphLookup (DocumentSourceGraphLookUp): a breadth-first search over another collection.
 * The frontier starts as the startWith values (arrays expanded, missing skipped); each round
 * queries connectToField against the frontier, which the find plan can serve from an index,
 * records every newly reached document (deduplicated by _id, with its depth), and takes the
 * next frontier from their connectFromField values. null matches only a stored null, never
 * a missing field. Each round's query yields through this stage.
 */
import { Int32, Long } from 'bson';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument, isNumber } from '../../bson/types.js';
import { toDouble } from '../../bson/arith.js';
import { MongoError } from '../../errors/mongo-error.js';
import { typeNameOf } from '../../query/describe.js';
import { validateFieldPath } from '../../query/field-path.js';
import type { PlanStage, StageResult } from '../../query/exec/plan-stage.js';
import {
  UnaryStage,
  documentOf,
  memberFromDocument,
  needYield,
} from '../../query/exec/plan-stage.js';
import { approximateSize } from '../accumulators/memory.js';
import { valueKey } from '../expressions/value-key.js';
import type { BoundExpression, StageCompiler } from '../pipeline-compiler.js';
import type { ParseContext, PipelineEnvironment, StageDefinition } from '../pipeline-context.js';
import { openCursorSource } from '../pipeline-source.js';
import { Pipeline } from '../pipeline.js';
import { valuesAtPath } from './lookup.js';
import { MatchDefinition } from './match.js';
import { withPath } from './stage-support.js';

/** internalDocumentSourceGraphLookupMaxMemoryBytes. */
const graphLookupBytesMax = 100 * 1024 * 1024;

interface GraphLookupSpec {
  from: string;
  startWith: BoundExpression;
  connectFromField: string[];
  connectToField: string;
  as: string[];
  maxDepth: number | undefined;
  depthField: string[] | undefined;
  restrictSearchWithMatch: BsonDocument | undefined;
}

export class GraphLookupDefinition implements StageDefinition {
  readonly name = '$graphLookup';
  readonly constraints = {};

  constructor(
    private readonly raw: BsonDocument,
    readonly spec: GraphLookupSpec,
    private readonly compiler: StageCompiler,
    private readonly environment: PipelineEnvironment,
  ) {}

  explain(): BsonDocument {
    return { $graphLookup: this.raw };
  }

  instantiate(input: PlanStage): PlanStage {
    return new GraphLookupStage(input, this);
  }

  /** The query for one round: connectToField among the frontier values. */
  open(frontier: readonly BsonValue[]): PlanStage {
    const nonNull = frontier.filter((value) => value !== null);
    const field = this.spec.connectToField;
    const clauses: BsonDocument[] = [];
    if (nonNull.length > 0) clauses.push({ [field]: { $in: nonNull } });
    if (nonNull.length < frontier.length) clauses.push({ [field]: { $type: new Int32(10) } });
    let filter: BsonDocument =
      clauses.length === 1 ? (clauses[0] as BsonDocument) : { $or: clauses };
    if (this.spec.restrictSearchWithMatch !== undefined)
      filter = { $and: [filter, this.spec.restrictSearchWithMatch] };
    const match = new MatchDefinition(filter, this.compiler.matcher(filter));
    const source = openCursorSource(
      this.environment,
      `${this.environment.database}.${this.spec.from}`,
      [match],
    );
    return Pipeline.chain(source.rest, source.stage);
  }
}

class GraphLookupStage extends UnaryStage {
  readonly stageName = 'GRAPH_LOOKUP';
  private outer: BsonDocument | undefined;
  private frontier: BsonValue[] = [];
  private nextFrontier: BsonValue[] = [];
  private queried = new Set<string>();
  private visited = new Map<string, BsonDocument>();
  private visitedBytes = 0;
  private depth = 0;
  private round: PlanStage | undefined;

  constructor(
    child: PlanStage,
    private readonly definition: GraphLookupDefinition,
  ) {
    super(child);
  }

  /** Adds values not yet queried to a frontier. */
  private addToFrontier(frontier: BsonValue[], values: readonly BsonValue[]): void {
    for (const value of values) {
      const key = valueKey(value);
      if (this.queried.has(key)) continue;
      this.queried.add(key);
      frontier.push(value);
    }
  }

  private start(doc: BsonDocument): void {
    this.outer = doc;
    this.visited = new Map();
    this.visitedBytes = 0;
    this.queried = new Set();
    this.depth = 0;
    this.frontier = [];
    const start = this.definition.spec.startWith(doc);
    if (start !== undefined)
      this.addToFrontier(this.frontier, Array.isArray(start) ? start : [start]);
  }

  private visit(doc: BsonDocument): void {
    const spec = this.definition.spec;
    if (doc._id === undefined) {
      throw new MongoError(
        40271,
        `Documents in the '${spec.from}' namespace must contain an _id for de-duplication in $graphLookup`,
      );
    }
    const key = valueKey(doc._id);
    if (this.visited.has(key)) return;
    const result =
      spec.depthField === undefined
        ? doc
        : withPath(doc, spec.depthField, Long.fromNumber(this.depth));
    this.visitedBytes += approximateSize(result);
    if (this.visitedBytes > graphLookupBytesMax)
      throw new MongoError(40099, '$graphLookup reached maximum memory consumption');
    this.visited.set(key, result);
    const connected: BsonValue[] = [];
    valuesAtPath(doc, spec.connectFromField, 0, connected);
    this.addToFrontier(this.nextFrontier, connected);
  }

  next(): StageResult {
    for (;;) {
      if (this.outer === undefined) {
        const member = this.child.next();
        if (member === undefined || member === needYield) return member;
        this.works++;
        this.start(documentOf(member));
      }
      if (this.round === undefined) {
        const maxDepth = this.definition.spec.maxDepth;
        if (this.frontier.length === 0 || (maxDepth !== undefined && this.depth > maxDepth)) {
          const out = withPath(this.outer as BsonDocument, this.definition.spec.as, [
            ...this.visited.values(),
          ]);
          this.outer = undefined;
          this.returned++;
          return memberFromDocument(out);
        }
        this.nextFrontier = [];
        this.round = this.definition.open(this.frontier);
      }
      const result = this.round.next();
      if (result === needYield) return needYield;
      if (result === undefined) {
        this.round = undefined;
        this.frontier = this.nextFrontier;
        this.depth++;
        continue;
      }
      this.visit(documentOf(result));
    }
  }

  override saveState(): void {
    this.child.saveState();
    this.round?.saveState();
  }

  override isEOF(): boolean {
    return this.outer === undefined && this.child.isEOF();
  }
}

function stringField(name: string, value: BsonValue): string {
  if (typeof value !== 'string') {
    throw new MongoError(40103, `expected string as argument for $graphLookup field: ${name}`);
  }
  return value;
}

function parseMaxDepth(value: BsonValue): number {
  if (!isNumber(value))
    throw new MongoError(40100, `maxDepth must be numeric, found type: ${typeNameOf(value)}`);
  const depth = toDouble(value);
  if (depth < 0)
    throw new MongoError(40101, `maxDepth requires a nonnegative argument, found: ${depth}`);
  if (!Number.isInteger(depth))
    throw new MongoError(40102, `maxDepth could not be represented as a long long: ${depth}`);
  return depth;
}

export function parseGraphLookup(spec: BsonValue, context: ParseContext): StageDefinition {
  if (!isDocument(spec))
    throw new MongoError('FailedToParse', '$graphLookup spec must be an object');
  const parsed: Partial<GraphLookupSpec> = {};
  for (const [name, value] of Object.entries(spec)) {
    switch (name) {
      case 'from':
        if (typeof value !== 'string')
          throw new MongoError(
            'FailedToParse',
            `$graphLookup 'from' must be a string, but found ${typeNameOf(value)}`,
          );
        context.environment.writes.validateNamespace(context.environment.database, value);
        parsed.from = value;
        break;
      case 'startWith':
        parsed.startWith = context.compiler.expression(value);
        break;
      case 'connectFromField':
        parsed.connectFromField = validateFieldPath(stringField(name, value));
        break;
      case 'connectToField':
        parsed.connectToField = validateFieldPath(stringField(name, value)).join('.');
        break;
      case 'as':
        parsed.as = validateFieldPath(stringField(name, value));
        break;
      case 'depthField':
        parsed.depthField = validateFieldPath(stringField(name, value));
        break;
      case 'maxDepth':
        parsed.maxDepth = parseMaxDepth(value);
        break;
      case 'restrictSearchWithMatch':
        if (!isDocument(value)) {
          throw new MongoError(
            40185,
            `restrictSearchWithMatch must be an object, found ${typeNameOf(value)}`,
          );
        }
        context.compiler.matcher(value);
        parsed.restrictSearchWithMatch = value;
        break;
      default:
        throw new MongoError(40104, `Unknown argument to $graphLookup: ${name}`);
    }
  }
  const { startWith, connectFromField, connectToField, as } = parsed;
  if (
    startWith === undefined ||
    connectFromField === undefined ||
    connectToField === undefined ||
    as === undefined
  ) {
    throw new MongoError(
      40105,
      "$graphLookup requires 'startWith', 'connectFromField', 'connectToField', and 'as' to be specified",
    );
  }
  if (parsed.from === undefined)
    throw new MongoError('FailedToParse', "must specify 'from' field for a $graphLookup");
  return new GraphLookupDefinition(
    spec,
    parsed as GraphLookupSpec,
    context.compiler,
    context.environment,
  );
}
