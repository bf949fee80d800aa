/**
 * What pipeline stages are parsed with and run against. Stages never see the command layer:
 * everything they need from the server (storage, randomness, spill files, document
 * validation for $out/$merge) comes through `PipelineEnvironment`, which the aggregate
 * command builds and unit tests fake.
 */
import type { BsonDocument, BsonValue } from '../bson/types.js';
import type { Random } from '../platform/random.js';
import type { PlanStage } from '../query/exec/plan-stage.js';
import type { CollectionEntry } from '../storage/catalog-entry.js';
import type { StorageEngine } from '../storage/storage-engine.js';
import type { StageCompiler } from './pipeline-compiler.js';
import type { Pipeline } from './pipeline.js';
import type { SpillArea } from './stages/spill/spill-area.js';

/** The server's 100 MiB default for every blocking stage. */
export const blockingStageBytesDefault = 100 * 1024 * 1024;

/** Memory bounds of the blocking stages, from the server parameters of the same names. */
export interface MemoryLimits {
  /** internalQueryMaxBlockingSortMemoryUsageBytes ($sort, $bucketAuto). */
  readonly sortBytes: number;
  /** internalDocumentSourceGroupMaxMemoryBytes ($group, $bucket, $count, $sortByCount). */
  readonly groupBytes: number;
  /** internalDocumentSourceSetWindowFieldsMaxMemoryBytes. */
  readonly setWindowFieldsBytes: number;
  /** internalQueryFacetBufferSizeBytes (input buffered by $facet). */
  readonly facetBufferBytes: number;
  /** internalQueryFacetMaxOutputDocSizeBytes (the document $facet builds). */
  readonly facetOutputBytes: number;
}

export const defaultMemoryLimits: MemoryLimits = {
  sortBytes: blockingStageBytesDefault,
  groupBytes: blockingStageBytesDefault,
  setWindowFieldsBytes: blockingStageBytesDefault,
  facetBufferBytes: blockingStageBytesDefault,
  facetOutputBytes: blockingStageBytesDefault,
};

/** Writes made by $out and $merge go through the command's rules for writes. */
export interface WriteHooks {
  /** Throws DocumentValidationFailure unless bypassDocumentValidation; `previous` for updates. */
  validate(entry: CollectionEntry, doc: BsonDocument, previous: BsonDocument | undefined): void;
  /** The stored form of a new document: `_id` first (generated if missing), size checked. */
  prepareInsert(doc: BsonDocument): { raw: Buffer; doc: BsonDocument };
  /** The collection, created as an insert would create it. Call inside a storage write. */
  ensureCollection(namespace: string): CollectionEntry;
  /** Checks a namespace a stage writes to (InvalidNamespace otherwise). */
  validateNamespace(database: string, collection: string): string;
}

export interface PipelineEnvironment {
  /** The database the command runs in. */
  readonly database: string;
  /** Collections for $lookup, $unionWith, $out, ...; undefined for purely in-memory pipelines. */
  readonly storage: StorageEngine | undefined;
  readonly random: Random;
  readonly allowDiskUse: boolean;
  readonly limits: MemoryLimits;
  /** Temporary files of spilling stages, deleted when the pipeline is disposed. */
  readonly spill: SpillArea;
  readonly writes: WriteHooks;
  /** "host:port" as $collStats and $indexStats report it. */
  readonly hostName: string;
  /** Wall-clock time, for $collStats' localTime. */
  readonly wallTime: () => Date;
  /** The sessions $listLocalSessions reports. */
  readonly localSessions: () => BsonDocument[];
  /** Registers cleanup (a temporary collection of $out) for when the pipeline is disposed. */
  onDispose(action: () => void): void;
}

/** Where a pipeline runs; stages such as $out are only allowed at the top level. */
export type PipelineNesting = 'top' | 'facet' | 'lookup' | 'unionWith' | 'update';

export interface ParseContext {
  readonly compiler: StageCompiler;
  readonly environment: PipelineEnvironment;
  readonly nesting: PipelineNesting;
  /** The collection the pipeline reads, or undefined for {aggregate: 1}. */
  readonly namespace: string | undefined;
  /** Parses a sub-pipeline ($lookup, $facet, $unionWith); passed in to avoid import cycles. */
  readonly parsePipeline: (stages: BsonValue[], context: ParseContext) => Pipeline;
}

/** Placement rules (StageConstraints in the server). */
export interface StageConstraints {
  /** The stage must be first ($collStats, $documents) or last ($out, $merge). */
  readonly position?: 'first' | 'last';
  /** The stage produces documents itself and never reads its input. */
  readonly generatesInput?: boolean;
  /** The stage runs without a collection ({aggregate: 1}); $documents. */
  readonly independentOfCollection?: boolean;
  /** The stage writes ($out, $merge): not allowed inside $lookup, $facet or $unionWith. */
  readonly writes?: boolean;
  readonly allowedInFacet?: boolean;
}

/**
 * A parsed stage: compiled once, instantiated per execution (sub-pipelines of $lookup and
 * $facet are instantiated again for every run).
 */
export interface StageDefinition {
  /** The name as written, e.g. '$match'. */
  readonly name: string;
  readonly constraints: StageConstraints;
  /** The stage as explain shows it. */
  explain(): BsonDocument;
  /** A new executing stage reading from `input`. */
  instantiate(input: PlanStage): PlanStage;
}

/** A stage parser returns one definition or, for stages that desugar, several. */
export type StageParser = (
  spec: BsonValue,
  context: ParseContext,
  name: string,
) => StageDefinition | StageDefinition[];
