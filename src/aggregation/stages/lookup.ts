/**
 * $lookup (DocumentSourceLookUp): for each input document, the matching documents of
 * another collection of the same database, as an array at `as`. The equality form matches
 * foreignField against every value at localField (arrays are expanded, no value means
 * null), exactly as the server's generated $match does; the pipeline form runs a
 * sub-pipeline with `let` variables bound to the input document; both may be combined.
 * Every sub-plan is a find plan, so the foreign collection's indexes serve the match, and
 * its yields pass up through this stage.
 */
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import { BSONRegExp } from 'bson';
import { MongoError } from '../../errors/mongo-error.js';
import { typeNameOf } from '../../query/describe.js';
import { validateFieldPath } from '../../query/field-path.js';
import { ValuesStage } from '../../query/exec/basic-stages.js';
import type { PlanStage, StageResult } from '../../query/exec/plan-stage.js';
import {
  UnaryStage,
  documentOf,
  memberFromDocument,
  needYield,
} from '../../query/exec/plan-stage.js';
import { approximateSize } from '../accumulators/memory.js';
import { formatValue } from '../expressions/values.js';
import { validateNameForUserWrite } from '../expressions/variable-names.js';
import type { BoundExpression, StageCompiler } from '../pipeline-compiler.js';
import type { ParseContext, PipelineEnvironment, StageDefinition } from '../pipeline-context.js';
import { openCursorSource } from '../pipeline-source.js';
import { Pipeline } from '../pipeline.js';
import { hashJoinEligible, LookupHashTable } from './lookup-hash-join.js';
import { MatchDefinition } from './match.js';
import { withPath } from './stage-support.js';

/** internalLookupStageIntermediateDocumentMaxSizeBytes. */
const lookupResultBytesMax = 100 * 1024 * 1024;

interface LookupSpec {
  from: string | undefined;
  as: string;
  localField: string | undefined;
  foreignField: string | undefined;
  letVariables: BsonDocument | undefined;
  pipeline: BsonValue[] | undefined;
}

/** Every value at a path, arrays expanded at the leaf (document_path_support::visitAllValuesAtPath). */
export function valuesAtPath(
  value: BsonValue | undefined,
  parts: readonly string[],
  index: number,
  out: BsonValue[],
): void {
  if (index === parts.length) {
    if (Array.isArray(value)) out.push(...value);
    else if (value !== undefined) out.push(value);
    return;
  }
  if (isDocument(value)) {
    const part = parts[index] as string;
    if (Object.hasOwn(value, part)) valuesAtPath(value[part], parts, index + 1, out);
  } else if (Array.isArray(value)) {
    for (const element of value) if (isDocument(element)) valuesAtPath(element, parts, index, out);
  }
}

/** The values an input document joins on: every value at localField, or null when none. */
export function localValues(doc: BsonDocument, localPath: readonly string[]): BsonValue[] {
  const values: BsonValue[] = [];
  valuesAtPath(doc, localPath, 0, values);
  if (values.length === 0) values.push(null);
  return values;
}

/** The $match the server builds from the input document (makeMatchStageFromInput). */
export function equalityFilter(values: readonly BsonValue[], foreignField: string): BsonDocument {
  if (values.length === 1) return { [foreignField]: { $eq: values[0] } };
  if (!values.some((value) => value instanceof BSONRegExp))
    return { [foreignField]: { $in: [...values] } };
  return { $or: values.map((value) => ({ [foreignField]: { $eq: value } })) };
}

export class LookupDefinition implements StageDefinition {
  readonly name = '$lookup';
  readonly constraints = {};
  private readonly asPath: string[];
  private readonly localPath: string[] | undefined;
  private readonly letExpressions: [string, BoundExpression][];

  constructor(
    private readonly spec: LookupSpec,
    private readonly namespace: string | undefined,
    private readonly outerCompiler: StageCompiler,
    private readonly innerCompiler: StageCompiler,
    private readonly pipeline: Pipeline | undefined,
    private readonly environment: PipelineEnvironment,
  ) {
    this.asPath = validateFieldPath(spec.as);
    this.localPath = spec.localField === undefined ? undefined : validateFieldPath(spec.localField);
    this.letExpressions = Object.entries(spec.letVariables ?? {}).map(([name, expression]) => [
      name,
      outerCompiler.expression(expression),
    ]);
  }

  explain(): BsonDocument {
    const out: BsonDocument = { from: this.spec.from ?? null, as: this.spec.as };
    if (this.spec.localField !== undefined) out.localField = this.spec.localField;
    if (this.spec.foreignField !== undefined) out.foreignField = this.spec.foreignField;
    if (this.spec.letVariables !== undefined) out.let = this.spec.letVariables;
    if (this.spec.pipeline !== undefined) out.pipeline = this.spec.pipeline;
    return { $lookup: out };
  }

  instantiate(input: PlanStage): PlanStage {
    return new LookupStage(input, this);
  }

  /**
   * The hash table for this run, when the equality form qualifies for a hash join; built
   * once per run of the stage.
   */
  hashTable(): LookupHashTable | undefined {
    const storage = this.environment.storage;
    const foreignField = this.spec.foreignField;
    if (storage === undefined || this.namespace === undefined || foreignField === undefined)
      return undefined;
    if (this.pipeline?.generatesInput === true) return undefined;
    const entry = storage.collection(this.namespace);
    if (entry === undefined || !hashJoinEligible(entry, foreignField)) return undefined;
    return LookupHashTable.build(storage, entry, foreignField);
  }

  /** The sub-plan for one input document, with the `let` variables bound to it. */
  open(doc: BsonDocument, table: LookupHashTable | undefined): PlanStage {
    const values = this.letExpressions.map(
      ([name, expression]) => [name, expression(doc)] as const,
    );
    this.innerCompiler.inherit();
    for (const [name, value] of values) this.innerCompiler.variables.set(name, value);
    const stages: StageDefinition[] = [...(this.pipeline?.stages ?? [])];
    if (this.localPath !== undefined && this.spec.foreignField !== undefined) {
      const keys = localValues(doc, this.localPath);
      const filter = equalityFilter(keys, this.spec.foreignField);
      const matcher = this.innerCompiler.matcher(filter);
      if (table !== undefined) {
        const matched = table.candidates(keys).filter((candidate) => matcher(candidate));
        return Pipeline.chain(stages, new ValuesStage(matched));
      }
      stages.unshift(new MatchDefinition(filter, matcher));
    }
    if (this.namespace === undefined || stages[0]?.constraints.generatesInput === true) {
      return Pipeline.chain(stages, new ValuesStage([]));
    }
    const source = openCursorSource(this.environment, this.namespace, stages);
    return Pipeline.chain(source.rest, source.stage);
  }

  get asParts(): readonly string[] {
    return this.asPath;
  }

  get foreignName(): string {
    return this.spec.from ?? '$documents';
  }
}

class LookupStage extends UnaryStage {
  readonly stageName = 'EQ_LOOKUP';
  private outer: BsonDocument | undefined;
  private inner: PlanStage | undefined;
  private results: BsonDocument[] = [];
  private resultBytes = 0;
  private table: LookupHashTable | undefined;
  private tableChecked = false;

  constructor(
    child: PlanStage,
    private readonly definition: LookupDefinition,
  ) {
    super(child);
  }

  next(): StageResult {
    for (;;) {
      if (this.inner === undefined) {
        const member = this.child.next();
        if (member === undefined || member === needYield) return member;
        this.works++;
        this.outer = documentOf(member);
        this.results = [];
        this.resultBytes = 0;
        if (!this.tableChecked) {
          this.table = this.definition.hashTable();
          this.tableChecked = true;
        }
        this.inner = this.definition.open(this.outer, this.table);
      }
      const result = this.inner.next();
      if (result === needYield) return needYield;
      if (result === undefined) {
        this.inner = undefined;
        this.returned++;
        return memberFromDocument(
          withPath(this.outer as BsonDocument, this.definition.asParts, this.results),
        );
      }
      const doc = documentOf(result);
      this.resultBytes += result.raw?.length ?? approximateSize(doc);
      if (this.resultBytes > lookupResultBytesMax) {
        throw new MongoError(
          4568,
          `Total size of documents in ${this.definition.foreignName} matching pipeline's $lookup stage exceeds ${lookupResultBytesMax} bytes`,
        );
      }
      this.results.push(doc);
    }
  }

  override saveState(): void {
    this.child.saveState();
    this.inner?.saveState();
  }

  override isEOF(): boolean {
    return this.inner === undefined && this.child.isEOF();
  }
}

function stringArgument(name: string, value: BsonValue): string {
  if (typeof value !== 'string') {
    throw new MongoError(
      'FailedToParse',
      `$lookup argument '${name}' must be a string, found ${name}: ${typeNameOf(value)}`,
    );
  }
  return value;
}

/** The 'from' collection name; {db, coll} is only for internal collections in the server. */
function fromArgument(value: BsonValue): string {
  if (typeof value === 'string') return value;
  if (!isDocument(value)) {
    throw new MongoError(
      'FailedToParse',
      `$lookup 'from' field must be either a string or an object, but found ${typeNameOf(value)}`,
    );
  }
  throw new MongoError(
    'FailedToParse',
    `$lookup with syntax {from: {db:<>, coll:<>},..} is not supported for db: ${formatValue(value.db)} and coll: ${formatValue(value.coll)}`,
  );
}

function parseSpec(spec: BsonDocument): LookupSpec {
  const parsed: Partial<LookupSpec> = {};
  let hasLet = false;
  for (const [name, value] of Object.entries(spec)) {
    if (name === 'pipeline') {
      if (!Array.isArray(value))
        throw new MongoError('FailedToParse', "'pipeline' option must be specified as an array");
      parsed.pipeline = value;
    } else if (name === 'let') {
      if (!isDocument(value)) {
        throw new MongoError(
          'FailedToParse',
          `$lookup argument 'let: ${typeNameOf(value)}' must be an object, is type ${typeNameOf(value)}`,
        );
      }
      parsed.letVariables = value;
      hasLet = true;
    } else if (name === 'from') {
      parsed.from = fromArgument(value);
    } else if (name === 'as' || name === 'localField' || name === 'foreignField') {
      parsed[name] = stringArgument(name, value);
    } else {
      throw new MongoError('FailedToParse', `unknown argument to $lookup: ${name}`);
    }
  }
  if (parsed.from === undefined) {
    const first = parsed.pipeline?.[0];
    if (!isDocument(first) || !Object.hasOwn(first, '$documents')) {
      throw new MongoError(
        'FailedToParse',
        '$lookup stage without explicit collection must have a pipeline with $documents as first stage',
      );
    }
  }
  if (parsed.as === undefined || parsed.as.length === 0)
    throw new MongoError('FailedToParse', "must specify 'as' field for a $lookup");
  const hasLocal = parsed.localField !== undefined && parsed.localField.length > 0;
  const hasForeign = parsed.foreignField !== undefined && parsed.foreignField.length > 0;
  if (parsed.pipeline !== undefined) {
    if ((hasLocal || hasForeign) && !(hasLocal && hasForeign)) {
      throw new MongoError(
        'FailedToParse',
        "$lookup requires both or neither of 'localField' and 'foreignField' to be specified",
      );
    }
  } else {
    if (hasLet)
      throw new MongoError(
        'FailedToParse',
        "$lookup with a 'let' argument must also specify 'pipeline'",
      );
    if (!hasLocal || !hasForeign) {
      throw new MongoError(
        'FailedToParse',
        "$lookup requires either 'pipeline' or both 'localField' and 'foreignField' to be specified",
      );
    }
  }
  return parsed as LookupSpec;
}

export function parseLookup(spec: BsonValue, context: ParseContext): StageDefinition {
  if (!isDocument(spec))
    throw new MongoError('FailedToParse', 'the $lookup specification must be an Object');
  const parsed = parseSpec(spec);
  const names = Object.keys(parsed.letVariables ?? {});
  for (const name of names) validateNameForUserWrite(name);
  const namespace =
    parsed.from === undefined ? undefined : `${context.environment.database}.${parsed.from}`;
  const innerCompiler = context.compiler.child(names);
  const pipeline =
    parsed.pipeline === undefined
      ? undefined
      : context.parsePipeline(parsed.pipeline, {
          ...context,
          compiler: innerCompiler,
          nesting: 'lookup',
          namespace,
        });
  return new LookupDefinition(
    parsed,
    namespace,
    context.compiler,
    innerCompiler,
    pipeline,
    context.environment,
  );
}
