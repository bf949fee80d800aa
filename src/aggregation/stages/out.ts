/**
 * $out (DocumentSourceOut): replaces a collection with the pipeline's output, atomically.
 * The documents go into a temporary collection `tmp.agg_out.<id>` that copies the target's
 * options and indexes; when the input ends, one storage write drops the target and renames
 * the temporary collection over it. On failure (or when the cursor is killed) the temporary
 * collection is dropped and the target is untouched. Inserts are batched, each batch one
 * storage write, with the input's iterators released first.
 */
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { typeNameOf } from '../../query/describe.js';
import type { PlanStage, StageResult } from '../../query/exec/plan-stage.js';
import { UnaryStage, documentOf, needYield } from '../../query/exec/plan-stage.js';
import type { CollectionEntry } from '../../storage/catalog-entry.js';
import { insertDocument } from '../../storage/document-writes.js';
import type { StorageEngine } from '../../storage/storage-engine.js';
import { assert } from '../../util/assert.js';
import type { ParseContext, PipelineEnvironment, StageDefinition } from '../pipeline-context.js';
import { checkSpecFields } from './spec-fields.js';

/** Documents per storage write. */
export const writeBatchDocuments = 1000;

const internalDatabases = new Set(['admin', 'local', 'config']);

export class OutDefinition implements StageDefinition {
  readonly name = '$out';
  readonly constraints = { position: 'last', writes: true } as const;

  constructor(
    private readonly spec: BsonValue,
    readonly namespace: string,
    private readonly environment: PipelineEnvironment,
  ) {}

  explain(): BsonDocument {
    return { $out: this.spec };
  }

  instantiate(input: PlanStage): PlanStage {
    const storage = this.environment.storage;
    assert(storage !== undefined, '$out without storage');
    return new OutStage(input, this.namespace, storage, this.environment);
  }
}

class OutStage extends UnaryStage {
  readonly stageName = 'OUT';
  private temp: CollectionEntry | undefined;
  private pending: BsonDocument[] = [];
  private finished = false;

  constructor(
    child: PlanStage,
    private readonly target: string,
    private readonly storage: StorageEngine,
    private readonly environment: PipelineEnvironment,
  ) {
    super(child);
    environment.onDispose(() => this.dropTemp());
  }

  /** The temporary collection, with the target's options and secondary indexes. */
  private createTemp(): CollectionEntry {
    const database = this.target.slice(0, this.target.indexOf('.'));
    const name = `tmp.agg_out.${this.environment.random.bytes(16).toString('hex')}`;
    const existing = this.storage.collection(this.target);
    return this.storage.write(() => {
      const temp = this.storage.createCollection(`${database}.${name}`, existing?.options ?? {});
      for (const index of existing?.indexes ?? []) {
        if (index.name !== '_id_') this.storage.addIndex(temp, index.spec);
      }
      return temp;
    });
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const docs = this.pending;
    this.pending = [];
    this.child.saveState();
    const temp = this.temp as CollectionEntry;
    this.storage.write(() => {
      for (const doc of docs) {
        const prepared = this.environment.writes.prepareInsert(doc);
        this.environment.writes.validate(temp, prepared.doc, undefined);
        insertDocument(this.storage, temp, prepared.raw, prepared.doc);
      }
    });
  }

  /** Drops the target and renames the temporary collection over it, in one write. */
  private replaceTarget(): void {
    const temp = this.temp as CollectionEntry;
    this.storage.write(() => {
      if (this.storage.collection(this.target) !== undefined)
        this.storage.dropCollection(this.target);
      this.storage.renameCollection(temp.namespace, this.target);
    });
    this.temp = undefined;
  }

  private dropTemp(): void {
    const temp = this.temp;
    if (temp === undefined) return;
    this.temp = undefined;
    this.storage.write(() => this.storage.dropCollection(temp.namespace));
  }

  next(): StageResult {
    if (this.finished) return undefined;
    this.temp ??= this.createTemp();
    try {
      for (;;) {
        const member = this.child.next();
        if (member === needYield) {
          this.flush();
          return needYield;
        }
        if (member === undefined) break;
        this.works++;
        this.pending.push(documentOf(member));
        if (this.pending.length >= writeBatchDocuments) this.flush();
      }
      this.flush();
      this.replaceTarget();
    } catch (error) {
      this.dropTemp();
      throw error;
    }
    this.finished = true;
    return undefined;
  }

  override isEOF(): boolean {
    return this.finished;
  }
}

/** The target of $out: a collection of this database, or {db, coll}. */
function targetOf(
  spec: BsonValue,
  context: ParseContext,
): { database: string; collection: string } {
  if (typeof spec === 'string') return { database: context.environment.database, collection: spec };
  if (!isDocument(spec)) {
    throw new MongoError(
      16990,
      `$out only supports a string or object argument, not ${typeNameOf(spec)}`,
    );
  }
  checkSpecFields('$out', spec, ['db', 'coll', 'timeseries'], ['db', 'coll']);
  if (spec.timeseries !== undefined)
    throw new MongoError('NotImplemented', 'Shoal does not support time series collections');
  if (typeof spec.db !== 'string') {
    throw new MongoError(
      'TypeMismatch',
      `BSON field '$out.db' is the wrong type '${typeNameOf(spec.db)}', expected type 'string'`,
    );
  }
  if (typeof spec.coll !== 'string') {
    throw new MongoError(
      'TypeMismatch',
      `BSON field '$out.coll' is the wrong type '${typeNameOf(spec.coll)}', expected type 'string'`,
    );
  }
  return { database: spec.db, collection: spec.coll };
}

export function parseOut(spec: BsonValue, context: ParseContext): StageDefinition {
  const { database, collection } = targetOf(spec, context);
  let namespace: string;
  try {
    namespace = context.environment.writes.validateNamespace(database, collection);
  } catch (error) {
    if (!(error instanceof MongoError)) throw error;
    throw new MongoError(
      'InvalidNamespace',
      `Invalid $out target namespace, ${database}.${collection}`,
    );
  }
  if (collection.startsWith('system.'))
    throw new MongoError(17385, `Can't $out to special collection: ${collection}`);
  if (internalDatabases.has(database))
    throw new MongoError(31321, `Can't $out to internal database: ${database}`);
  const existing = context.environment.storage?.collection(namespace);
  if (existing?.options.capped === true) {
    throw new MongoError(17152, `namespace '${namespace}' is capped so it can't be used for $out`);
  }
  return new OutDefinition(spec, namespace, context.environment);
}
