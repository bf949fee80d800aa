/**
 * aggregate: parse the pipeline once, push its leading stages into a find plan, and open a
 * cursor over the result, exactly as find does (batches, getMore, yielding). Temporary
 * files and collections of the pipeline are released when its cursor closes.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Binary } from 'bson';
import { createHash } from 'node:crypto';
import type { BsonDocument } from '../../bson/types.js';
import { isDocument, isNumber } from '../../bson/types.js';
import { toDouble } from '../../bson/arith.js';
import { MongoError } from '../../errors/mongo-error.js';
import { firstBatchSizeDefault } from '../../query/exec/batch.js';
import { StageCompiler } from '../../aggregation/pipeline-compiler.js';
import { blockingStageBytesDefault } from '../../aggregation/pipeline-context.js';
import type {
  MemoryLimits,
  ParseContext,
  PipelineEnvironment,
} from '../../aggregation/pipeline-context.js';
import type { CollectionEntry } from '../../storage/catalog-entry.js';
import { explainPipeline } from '../../aggregation/pipeline-explain.js';
import { openPipeline } from '../../aggregation/pipeline-source.js';
import { parsePipeline } from '../../aggregation/pipeline.js';
import { SpillArea } from '../../aggregation/stages/spill/spill-area.js';
import type { CommandContext, CommandSpec, Reply } from '../context.js';
import { checkFields, nonNegativeInteger, optionalBool, typeNameOf } from '../args.js';
import { validateCollectionName } from '../namespace.js';
import { QueryCompiler } from '../query-compiler.js';
import { interruptCheck } from '../interrupt.js';
import { awaitWriteConcern, parseWriteConcern, validateWriteConcern } from '../write-concern.js';
import { sessionKey } from '../admin/sessions.js';
import { openCursorReply, renderMember } from './cursor-reply.js';
import { parseHint } from './find.js';
import { recordPlan } from '../profiling/plan-metrics.js';
import { renderStage } from '../explain/render-plan.js';
import { serverVersion } from '../../server/version.js';
import type { PlanStage, WorkingMember } from '../../query/exec/plan-stage.js';
import { bsonObjectSizeInternalMax } from '../../wire/limits.js';
import { checkSpecFields } from '../../aggregation/stages/spec-fields.js';
import { validateForWrite } from './document-validation.js';
import { ensureCollection } from './ensure-collection.js';
import { prepareInsert } from './prepare-insert.js';

const fields = new Set([
  'pipeline',
  'explain',
  'allowDiskUse',
  'cursor',
  'bypassDocumentValidation',
  'collation',
  'hint',
  'let',
  'needsMerge',
  'fromMongos',
  'isMapReduceCommand',
  'collectionUUID',
  'runtimeConstants',
  'exchange',
  '$_requestResumeToken',
  '$_resumeAfter',
  '$_requestReshardingResumeToken',
]);

/** The collection namespace, or undefined for {aggregate: 1} (parseNs). */
function namespaceOf(body: BsonDocument, database: string): string | undefined {
  const target = body.aggregate;
  if (isNumber(target)) {
    if (toDouble(target) !== 1) {
      throw new MongoError(
        'FailedToParse',
        "Invalid command format: the 'aggregate' field must specify a collection name or 1",
      );
    }
    return undefined;
  }
  if (typeof target !== 'string') {
    throw new MongoError('TypeMismatch', `collection name has invalid type: ${typeNameOf(target)}`);
  }
  return validateCollectionName(database, target);
}

function parameterBytes(context: CommandContext, name: string): number {
  const value = context.server.parameters.get(name);
  return isNumber(value) ? toDouble(value) : blockingStageBytesDefault;
}

function memoryLimits(context: CommandContext): MemoryLimits {
  return {
    sortBytes: parameterBytes(context, 'internalQueryMaxBlockingSortMemoryUsageBytes'),
    groupBytes: parameterBytes(context, 'internalDocumentSourceGroupMaxMemoryBytes'),
    setWindowFieldsBytes: parameterBytes(
      context,
      'internalDocumentSourceSetWindowFieldsMaxMemoryBytes',
    ),
    facetBufferBytes: parameterBytes(context, 'internalQueryFacetBufferSizeBytes'),
    facetOutputBytes: parameterBytes(context, 'internalQueryFacetMaxOutputDocSizeBytes'),
  };
}

/** The logical sessions this server has seen in use: the caller's and those with open cursors. */
function localSessions(context: CommandContext): BsonDocument[] {
  const now = new Date(context.server.clock.wallMs());
  const uid = new Binary(createHash('sha256').update('').digest(), 0);
  const seen = new Set<string>();
  const lsid = context.request.body.lsid;
  const own = sessionKey(lsid) === undefined ? [] : [sessionKey(lsid) as string];
  const fromCursors = context.server.cursors.all().map((cursor) => cursor.sessionId);
  const sessions: BsonDocument[] = [];
  for (const key of [...own, ...fromCursors]) {
    if (key === undefined || seen.has(key)) continue;
    seen.add(key);
    sessions.push({
      _id: { id: new Binary(Buffer.from(key, 'hex'), Binary.SUBTYPE_UUID), uid },
      lastUse: now,
    });
  }
  return sessions;
}

/** The pipeline's view of the server for one aggregate command. */
class CommandEnvironment implements PipelineEnvironment {
  readonly database: string;
  readonly storage;
  readonly random;
  readonly limits: MemoryLimits;
  readonly spill: SpillArea;
  readonly writes;
  readonly hostName: string;
  private readonly disposers: (() => void)[] = [];

  constructor(
    private readonly context: CommandContext,
    readonly allowDiskUse: boolean,
    bypassValidation: boolean,
  ) {
    const server = context.server;
    this.database = context.request.database;
    this.storage = server.storage;
    this.random = server.random;
    this.limits = memoryLimits(context);
    this.spill = new SpillArea(join(server.options.dbPath, '_tmp'), server.random);
    this.writes = {
      validate: (entry: CollectionEntry, doc: BsonDocument, previous: BsonDocument | undefined) => {
        if (!bypassValidation) validateForWrite(context, entry, doc, previous);
      },
      prepareInsert: (doc: BsonDocument) => prepareInsert(doc, undefined),
      ensureCollection: (namespace: string) => ensureCollection(context, namespace),
      validateNamespace: (db: string, collection: string) => validateCollectionName(db, collection),
    };
    this.hostName = `${hostname()}:${server.port}`;
  }

  wallTime(): Date {
    return new Date(this.context.server.clock.wallMs());
  }

  localSessions(): BsonDocument[] {
    return localSessions(this.context);
  }

  onDispose(action: () => void): void {
    this.disposers.push(action);
  }

  /** Releases temporary collections and files; safe to call more than once. */
  dispose(): void {
    for (const action of this.disposers.splice(0)) action();
    this.spill.dispose();
  }
}

interface AggregateOptions {
  explain: boolean;
  batchSize: number;
  allowDiskUse: boolean;
  bypassValidation: boolean;
}

function parseOptions(context: CommandContext): AggregateOptions {
  const { body } = context.request;
  const explainValue = body.explain;
  if (explainValue !== undefined && typeof explainValue !== 'boolean') {
    throw new MongoError('TypeMismatch', 'explain must be a boolean');
  }
  const explain = explainValue === true;
  const cursor = body.cursor;
  if (cursor !== undefined && !isDocument(cursor)) {
    throw new MongoError('TypeMismatch', 'cursor field must be missing or an object');
  }
  if (isDocument(cursor)) checkSpecFields('cursor', cursor, ['batchSize']);
  if (cursor === undefined && explainValue === undefined) {
    throw new MongoError(
      'FailedToParse',
      "The 'cursor' option is required, except for aggregate with the explain argument",
    );
  }
  if (explain && body.writeConcern !== undefined) {
    throw new MongoError(
      'FailedToParse',
      "Aggregation explain does not support the'writeConcern' option",
    );
  }
  const allowDiskUseByDefault = context.server.parameters.get('allowDiskUseByDefault') !== false;
  return {
    explain,
    batchSize:
      (cursor === undefined ? undefined : nonNegativeInteger('aggregate', cursor, 'batchSize')) ??
      firstBatchSizeDefault,
    allowDiskUse: optionalBool('aggregate', body, 'allowDiskUse') ?? allowDiskUseByDefault,
    bypassValidation: optionalBool('aggregate', body, 'bypassDocumentValidation') ?? false,
  };
}

/** A result document, which like any document the server returns must fit in BSON's limit. */
function renderResult(member: WorkingMember): Uint8Array {
  const bytes = renderMember(member);
  if (bytes.length > bsonObjectSizeInternalMax) {
    throw new MongoError(
      'BSONObjectTooLarge',
      `BSONObj size: ${bytes.length} (0x${bytes.length.toString(16).toUpperCase()}) is invalid. Size must be between 0 and ${bsonObjectSizeInternalMax}(16MB)`,
    );
  }
  return bytes;
}

/** Errors raised while the pipeline runs carry the server's context. */
function executionError(error: unknown): unknown {
  if (!(error instanceof MongoError)) return error;
  const wrapped = new MongoError(
    error.code,
    `PlanExecutor error during aggregation :: caused by :: ${error.message}`,
    error.extra,
  );
  wrapped.errorLabels.push(...error.errorLabels);
  return wrapped;
}

async function aggregate(context: CommandContext): Promise<Reply> {
  const { body, database } = context.request;
  checkFields('aggregate', body, fields);
  const namespace = namespaceOf(body, database);
  const pipelineSpec = body.pipeline;
  if (pipelineSpec === undefined)
    throw new MongoError(40414, "BSON field 'aggregate.pipeline' is missing but a required field");
  if (!Array.isArray(pipelineSpec))
    throw new MongoError('TypeMismatch', "'pipeline' option must be specified as an array");
  const options = parseOptions(context);
  const concern = parseWriteConcern(body);
  validateWriteConcern(concern);
  const hint = parseHint(body.hint);
  const checkInterrupt = interruptCheck(context);
  const environment = new CommandEnvironment(
    context,
    options.allowDiskUse,
    options.bypassValidation,
  );
  const parseContext: ParseContext = {
    compiler: StageCompiler.over(QueryCompiler.forCommand(context, body.let)),
    environment,
    nesting: 'top',
    namespace,
    parsePipeline,
  };
  const pipeline = parsePipeline(pipelineSpec, parseContext);
  const cursorNamespace = namespace ?? `${database}.$cmd.aggregate`;
  const { root, cursor } = openPipeline(pipeline, namespace, {
    hint: hint.index,
    natural: hint.natural,
  });
  if (options.explain) {
    environment.dispose();
    const render = (stage: PlanStage): BsonDocument =>
      renderStage(stage, 'queryPlanner') as BsonDocument;
    return {
      ...explainPipeline(pipeline, cursorNamespace, cursor, render),
      command: body,
      serverInfo: {
        host: hostname(),
        port: context.server.port,
        version: serverVersion,
        gitVersion: 'shoal',
      },
      ok: 1,
    };
  }
  const plan = cursor?.plan;
  if (plan !== undefined) context.operation.planSummary = plan.summary;
  if (options.batchSize === 0 && !pipeline.writes) {
    // An empty first batch: the pipeline starts running on the first getMore.
    const opened = context.server.cursors.open({
      namespace: cursorNamespace,
      stage: root,
      render: renderResult,
      connectionId: context.connection.id,
      sessionId: sessionKey(body.lsid),
      originatingCommand: body,
      noCursorTimeout: false,
      onClose: () => environment.dispose(),
    });
    return { cursor: { firstBatch: [], id: opened.id, ns: cursorNamespace }, ok: 1 };
  }
  let reply: Reply;
  try {
    reply = await openCursorReply(context, {
      namespace: cursorNamespace,
      stage: root,
      batchSize: options.batchSize === 0 ? undefined : options.batchSize,
      singleBatch: false,
      checkInterrupt,
      render: renderResult,
      onClose: () => environment.dispose(),
    });
  } catch (error) {
    environment.dispose();
    throw executionError(error);
  }
  const origin = {
    fromMultiPlanner: (plan?.rejected.length ?? 0) > 0,
    fromPlanCache: plan?.fromCache ?? false,
  };
  recordPlan(context.operation, root, { origin });
  if (pipeline.writes) await awaitWriteConcern(context, concern);
  return reply;
}

export const aggregateCommand: CommandSpec = {
  name: 'aggregate',
  help: 'Runs an aggregation pipeline.',
  kind: 'read',
  handler: aggregate,
};
