/**
 * The stages that describe the server rather than read a collection: $collStats (one
 * document of counters from the catalog), $indexStats (one document per index) and
 * $listLocalSessions. Each must be first and produces its own documents.
 */
import { Int32, Long } from 'bson';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument, isNumber } from '../../bson/types.js';
import { toDouble } from '../../bson/arith.js';
import { MongoError } from '../../errors/mongo-error.js';
import { describeValue } from '../../query/describe.js';
import { ValuesStage } from '../../query/exec/basic-stages.js';
import type { PlanStage, StageResult, StageStats } from '../../query/exec/plan-stage.js';
import type { CollectionEntry } from '../../storage/catalog-entry.js';
import type { StorageEngine } from '../../storage/storage-engine.js';
import type {
  ParseContext,
  PipelineEnvironment,
  StageConstraints,
  StageDefinition,
} from '../pipeline-context.js';
import { checkSpecFields } from './spec-fields.js';

/** A stage whose documents are computed when it is first read. */
class GeneratedStage implements PlanStage {
  readonly stageName: string;
  private values: ValuesStage | undefined;

  constructor(
    name: string,
    private readonly generate: () => BsonDocument[],
  ) {
    this.stageName = name;
  }

  next(): StageResult {
    this.values ??= new ValuesStage(this.generate());
    return this.values.next();
  }

  isEOF(): boolean {
    return this.values?.isEOF() ?? false;
  }

  saveState(): void {}

  stats(): StageStats {
    return {
      stage: this.stageName,
      nReturned: this.values?.stats().nReturned ?? 0,
      works: 0,
      children: [],
    };
  }
}

class GeneratingDefinition implements StageDefinition {
  constructor(
    readonly name: string,
    private readonly spec: BsonValue,
    readonly constraints: StageConstraints,
    private readonly generate: () => BsonDocument[],
  ) {}

  explain(): BsonDocument {
    return { [this.name]: this.spec };
  }

  instantiate(): PlanStage {
    return new GeneratedStage(this.name, this.generate);
  }
}

const firstSource: StageConstraints = {
  position: 'first',
  generatesInput: true,
  allowedInFacet: false,
};

function scaleOf(value: BsonValue | undefined): number {
  if (value === undefined) return 1;
  const scale = isNumber(value) ? Math.trunc(toDouble(value)) : NaN;
  if (!(scale >= 1))
    throw new MongoError(
      51024,
      `BSON field 'scale' value must be >= 1, actual value '${String(scale)}'`,
    );
  return scale;
}

function storageStats(storage: StorageEngine, entry: CollectionEntry, scale: number): BsonDocument {
  const indexSizes: BsonDocument = {};
  let totalIndexSize = 0;
  for (const index of entry.indexes) {
    const size = storage.indexSizeBytes(index);
    totalIndexSize += size;
    indexSizes[index.name] = new Int32(Math.floor(size / scale));
  }
  return {
    size: Long.fromNumber(Math.floor(entry.dataSize / scale)),
    count: Long.fromNumber(entry.count),
    avgObjSize: new Int32(entry.count === 0 ? 0 : Math.floor(entry.dataSize / entry.count)),
    numOrphanDocs: new Int32(0),
    storageSize: Long.fromNumber(Math.floor(entry.dataSize / scale)),
    freeStorageSize: new Int32(0),
    capped: entry.options.capped === true,
    nindexes: new Int32(entry.indexes.length),
    indexDetails: {},
    indexBuilds: [],
    totalIndexSize: Long.fromNumber(Math.floor(totalIndexSize / scale)),
    totalSize: Long.fromNumber(Math.floor((entry.dataSize + totalIndexSize) / scale)),
    indexSizes,
    scaleFactor: new Int32(scale),
  };
}

function notFound(what: string, namespace: string): MongoError {
  return new MongoError(
    'NamespaceNotFound',
    `Unable to retrieve ${what} in $collStats stage :: caused by :: Collection [${namespace}] not found.`,
  );
}

function collStats(
  spec: BsonDocument,
  namespace: string,
  environment: PipelineEnvironment,
): BsonDocument {
  const entry = environment.storage?.collection(namespace);
  const out: BsonDocument = {
    ns: namespace,
    host: environment.hostName,
    localTime: environment.wallTime(),
  };
  if (spec.latencyStats !== undefined) {
    const zero = { latency: Long.ZERO, ops: Long.ZERO };
    out.latencyStats = { reads: zero, writes: zero, commands: zero, transactions: zero };
  }
  if (spec.storageStats !== undefined) {
    if (entry === undefined || environment.storage === undefined)
      throw notFound('storageStats', namespace);
    const options = isDocument(spec.storageStats) ? spec.storageStats : {};
    out.storageStats = storageStats(environment.storage, entry, scaleOf(options.scale));
  }
  if (spec.count !== undefined) {
    if (entry === undefined) throw notFound('count', namespace);
    out.count = Long.fromNumber(entry.count);
  }
  if (spec.queryExecStats !== undefined) {
    out.queryExecStats = { collectionScans: { total: Long.ZERO, nonTailable: Long.ZERO } };
  }
  return out;
}

export function parseCollStats(
  spec: BsonValue,
  context: ParseContext,
  name: string,
): StageDefinition {
  if (!isDocument(spec))
    throw new MongoError(
      5447000,
      `$collStats must take a nested object but found: ${describeValue(name, spec)}`,
    );
  checkSpecFields('$collStats', spec, ['latencyStats', 'storageStats', 'count', 'queryExecStats']);
  for (const field of ['latencyStats', 'storageStats', 'count', 'queryExecStats']) {
    const value = spec[field];
    if (value !== undefined && !isDocument(value)) {
      throw new MongoError(
        'TypeMismatch',
        `BSON field '$collStats.${field}' is the wrong type, expected type 'object'`,
      );
    }
  }
  const namespace = context.namespace;
  if (namespace === undefined)
    throw new MongoError(
      'InvalidNamespace',
      "{aggregate: 1} is not valid for '$collStats'; a collection is required.",
    );
  const environment = context.environment;
  return new GeneratingDefinition(name, spec, firstSource, () => [
    collStats(spec, namespace, environment),
  ]);
}

/** One document per index; Shoal does not count index uses yet, so ops is always 0. */
export function parseIndexStats(
  spec: BsonValue,
  context: ParseContext,
  name: string,
): StageDefinition {
  if (!isDocument(spec) || Object.keys(spec).length > 0) {
    throw new MongoError(28803, 'The $indexStats stage specification must be an empty object');
  }
  const namespace = context.namespace;
  const environment = context.environment;
  return new GeneratingDefinition(name, spec, firstSource, () => {
    const entry = namespace === undefined ? undefined : environment.storage?.collection(namespace);
    return (entry?.indexes ?? []).map((index) => ({
      name: index.name,
      key: index.spec.key as BsonDocument,
      host: environment.hostName,
      // The planner counts the queries that chose each index.
      accesses: { ops: Long.fromNumber(index.accesses.ops), since: index.accesses.since },
      spec: index.spec,
      // index_stats.cpp: only an index still being built says so.
      ...(index.building ? { building: true } : {}),
    }));
  });
}

export function parseListLocalSessions(
  spec: BsonValue,
  context: ParseContext,
  name: string,
): StageDefinition {
  if (!isDocument(spec)) {
    throw new MongoError(
      'TypeMismatch',
      `${name} options must be specified in an object, but found: ${describeValue(name, spec)}`,
    );
  }
  checkSpecFields(name, spec, ['allUsers', 'users', '$_internalPredicate']);
  const environment = context.environment;
  return new GeneratingDefinition(
    name,
    spec,
    { ...firstSource, independentOfCollection: true },
    () => environment.localSessions(),
  );
}
