/**
 * Helpers for the stage tests: parse a pipeline against a test environment (seeded random,
 * spill files in a temporary directory, optionally a real ephemeral storage engine) and
 * run it to the end, over in-memory documents or over a collection.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { encodeDocument } from '../../bson/serialize.js';
import { MongoError } from '../../errors/mongo-error.js';
import { SeededRandom } from '../../platform/random.js';
import { ValuesStage } from '../../query/exec/basic-stages.js';
import type { PlanStage } from '../../query/exec/plan-stage.js';
import { documentOf, needYield } from '../../query/exec/plan-stage.js';
import { insertDocument } from '../../storage/document-writes.js';
import { StorageEngine } from '../../storage/storage-engine.js';
import { testScope } from '../test-support.js';
import { StageCompiler } from '../pipeline-compiler.js';
import type { MemoryLimits, ParseContext, PipelineEnvironment } from '../pipeline-context.js';
import { defaultMemoryLimits } from '../pipeline-context.js';
import { openPipeline } from '../pipeline-source.js';
import { parsePipeline } from '../pipeline.js';
import { SpillArea } from './spill/spill-area.js';

export const testDatabase = 'test';

export interface TestOptions {
  storage?: StorageEngine;
  allowDiskUse?: boolean;
  limits?: Partial<MemoryLimits>;
  seed?: number;
  /** The collection the pipeline reads; undefined for {aggregate: 1}. */
  collection?: string | undefined;
}

export interface TestRun {
  environment: PipelineEnvironment & { dispose(): void; spillDirectory: string };
  context: ParseContext;
}

/** A parse context like the aggregate command's, without a server. */
export function testContext(options: TestOptions = {}): TestRun {
  const spillDirectory = mkdtempSync(join(tmpdir(), 'shoal-spill-'));
  const random = new SeededRandom(options.seed ?? 7);
  const disposers: (() => void)[] = [];
  const spill = new SpillArea(spillDirectory, random);
  const environment = {
    database: testDatabase,
    storage: options.storage,
    random,
    allowDiskUse: options.allowDiskUse ?? false,
    limits: { ...defaultMemoryLimits, ...options.limits },
    spill,
    writes: {
      validate: () => {},
      prepareInsert: (doc: BsonDocument) => {
        const ordered: BsonDocument =
          doc._id === undefined ? { _id: `generated-${random.next()}`, ...doc } : doc;
        return { raw: encodeDocument(ordered), doc: ordered };
      },
      ensureCollection: (namespace: string) =>
        options.storage?.collection(namespace) ??
        (options.storage as StorageEngine).createCollection(namespace, {}),
      validateNamespace: (database: string, collection: string) => `${database}.${collection}`,
    },
    hostName: 'localhost:27017',
    wallTime: () => new Date('2024-01-02T03:04:05.678Z'),
    localSessions: () => [],
    onDispose: (action: () => void) => disposers.push(action),
    spillDirectory,
    dispose() {
      for (const action of disposers.splice(0)) action();
      spill.dispose();
    },
  };
  const scope = testScope({ random });
  const context: ParseContext = {
    compiler: StageCompiler.over({ scope, variables: new Map() }),
    environment,
    nesting: 'top',
    namespace:
      options.collection === undefined ? undefined : `${testDatabase}.${options.collection}`,
    parsePipeline,
  };
  return { environment, context };
}

/** Runs a plan to the end, as a cursor would, going on after every yield. */
export function drain(stage: PlanStage): BsonDocument[] {
  const out: BsonDocument[] = [];
  for (;;) {
    const member = stage.next();
    if (member === undefined) return out;
    if (member === needYield) {
      stage.saveState();
      continue;
    }
    out.push(documentOf(member));
  }
}

/** The pipeline over in-memory documents. */
export function runPipeline(
  pipeline: BsonValue[],
  docs: BsonDocument[],
  options: TestOptions = {},
): BsonDocument[] {
  const { environment, context } = testContext(options);
  try {
    const namespace = 'collection' in options ? context.namespace : `${testDatabase}.input`;
    const parsed = parsePipeline(pipeline, { ...context, namespace });
    const source = parsed.generatesInput ? new ValuesStage([]) : new ValuesStage(docs);
    const stages = parsed.stages.slice();
    let root: PlanStage = source;
    for (const stage of stages) root = stage.instantiate(root);
    return drain(root);
  } finally {
    environment.dispose();
    rmSync(environment.spillDirectory, { recursive: true, force: true });
  }
}

/** The pipeline over a collection of `storage`, with the find plan's pushdown. */
export function runOnCollection(
  pipeline: BsonValue[],
  collection: string,
  options: TestOptions & { storage: StorageEngine },
): BsonDocument[] {
  const { environment, context } = testContext({ ...options, collection });
  try {
    const parsed = parsePipeline(pipeline, context);
    return drain(openPipeline(parsed, context.namespace).root);
  } finally {
    environment.dispose();
    rmSync(environment.spillDirectory, { recursive: true, force: true });
  }
}

/** The MongoError a pipeline fails with, at parse or run time. */
export function pipelineError(
  pipeline: BsonValue[],
  docs: BsonDocument[] = [],
  options: TestOptions = {},
): { code: number; message: string } {
  try {
    runPipeline(pipeline, docs, options);
  } catch (error) {
    if (error instanceof MongoError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(pipeline)} to fail`);
}

/** An ephemeral storage engine in a temporary directory. */
export function testStorage(): StorageEngine {
  const directory = mkdtempSync(join(tmpdir(), 'shoal-agg-'));
  return StorageEngine.open({ directory, ephemeral: true, random: new SeededRandom(3) });
}

/** Inserts documents into a collection, creating it. */
export function insertDocuments(
  storage: StorageEngine,
  collection: string,
  docs: BsonDocument[],
): void {
  storage.write(() => {
    const namespace = `${testDatabase}.${collection}`;
    const entry = storage.collection(namespace) ?? storage.createCollection(namespace, {});
    for (const doc of docs) insertDocument(storage, entry, encodeDocument(doc), doc);
  });
}

/** Every document of a collection, in record order. */
export function collectionDocuments(storage: StorageEngine, collection: string): BsonDocument[] {
  const entry = storage.collection(`${testDatabase}.${collection}`);
  if (entry === undefined) return [];
  const out: BsonDocument[] = [];
  for (const record of storage.scanRecords(entry)) {
    out.push(documentOf({ recordId: record.recordId, raw: record.raw, doc: undefined }));
  }
  return out;
}

/** Names of the files left in a directory. */
export function filesIn(directory: string): string[] {
  try {
    return readdirSync(directory);
  } catch {
    return [];
  }
}
