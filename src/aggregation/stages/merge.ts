/**
 * $merge (DocumentSourceMerge): writes each document into a collection, matched on the
 * `on` fields through a unique index. whenMatched: replace, keepExisting, merge (top-level
 * fields set), fail (duplicate key), or an update pipeline with $$new; whenNotMatched:
 * insert, discard or fail. Unlike $out it is not atomic: documents are written in batches
 * of ordered writes, and the batch that fails keeps the documents written before the error.
 */
import { ObjectId } from 'bson';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { valuesEqual } from '../../bson/compare.js';
import { deserialize } from 'bson';
import { decodeOptions } from '../../bson/types.js';
import { encodeDocument } from '../../bson/serialize.js';
import { encodeKey } from '../../bson/key-string.js';
import { MongoError } from '../../errors/mongo-error.js';
import type { PlanStage, StageResult } from '../../query/exec/plan-stage.js';
import { UnaryStage, documentOf, needYield } from '../../query/exec/plan-stage.js';
import type { CollectionEntry, IndexEntry } from '../../storage/catalog-entry.js';
import { insertDocument, updateDocument } from '../../storage/document-writes.js';
import { findUniqueKey } from '../../storage/index-entries.js';
import type { StorageEngine } from '../../storage/storage-engine.js';
import { assert } from '../../util/assert.js';
import { bsonObjectSizeMax } from '../../wire/limits.js';
import { setField } from '../expressions/field-path.js';
import type { PipelineEnvironment, StageDefinition } from '../pipeline-context.js';
import type { MergeSpec } from './merge-spec.js';
import { writeBatchDocuments } from './out.js';
import { nestedField } from './stage-support.js';

export class MergeDefinition implements StageDefinition {
  readonly name = '$merge';
  readonly constraints = { position: 'last', writes: true } as const;

  constructor(
    private readonly raw: BsonValue,
    readonly spec: MergeSpec,
    private readonly environment: PipelineEnvironment,
  ) {}

  explain(): BsonDocument {
    return { $merge: this.raw };
  }

  instantiate(input: PlanStage): PlanStage {
    const storage = this.environment.storage;
    assert(storage !== undefined, '$merge without storage');
    return new MergeStage(input, this.spec, storage, this.environment);
  }
}

function immutableIdError(): MongoError {
  return new MongoError(
    'ImmutableField',
    "$merge failed to update the matching document, did you attempt to modify the _id or the shard key? :: caused by :: Performing an update on the path '_id' would modify the immutable field '_id'",
  );
}

/** The document with its `_id` first, as stored documents are. */
function idFirst(doc: BsonDocument, id: BsonValue): BsonDocument {
  const out: BsonDocument = { _id: id };
  for (const [name, value] of Object.entries(doc)) if (name !== '_id') setField(out, name, value);
  return out;
}

class MergeStage extends UnaryStage {
  readonly stageName = 'MERGE';
  private pending: BsonDocument[] = [];
  private finished = false;

  constructor(
    child: PlanStage,
    private readonly spec: MergeSpec,
    private readonly storage: StorageEngine,
    private readonly environment: PipelineEnvironment,
  ) {
    super(child);
  }

  /** The values of the `on` fields, which must each be a non-null scalar or document. */
  private keyValues(doc: BsonDocument): BsonValue[] {
    return this.spec.on.map((path) => {
      const value = nestedField(doc, path.split('.'));
      if (value === undefined || value === null || Array.isArray(value)) {
        throw new MongoError(
          51132,
          `$merge write error: 'on' field '${path}' cannot be missing, null, undefined or an array`,
        );
      }
      return value;
    });
  }

  private uniqueIndex(entry: CollectionEntry): IndexEntry {
    const fields = new Set(this.spec.on);
    const index = entry.indexes.find(
      (candidate) =>
        candidate.unique &&
        candidate.spec.partialFilterExpression === undefined &&
        candidate.fields.length === fields.size &&
        candidate.fields.every((field) => fields.has(field.path)),
    );
    if (index === undefined)
      throw new MongoError(51183, 'Cannot find index to verify that join fields will be unique');
    return index;
  }

  /** The stored document matching the `on` values, if any. */
  private findMatch(
    entry: CollectionEntry,
    values: BsonValue[],
  ): { recordId: number; raw: Buffer } | undefined {
    const index = this.uniqueIndex(entry);
    const byPath = new Map(this.spec.on.map((path, i) => [path, values[i]]));
    const keyValues = index.fields.map((field) => byPath.get(field.path));
    const { key } = encodeKey(
      keyValues,
      index.fields.map((field) => field.direction),
    );
    const recordId = findUniqueKey(this.storage.kv, index, key);
    if (recordId === undefined) return undefined;
    const raw = this.storage.getRecord(entry, recordId);
    return raw === undefined ? undefined : { recordId, raw };
  }

  /** The document that replaces a match, or undefined to leave it alone. */
  private updated(existing: BsonDocument, doc: BsonDocument): BsonDocument | undefined {
    const mode = this.spec.whenMatched;
    if (
      doc._id !== undefined &&
      mode !== 'keepExisting' &&
      typeof mode === 'string' &&
      !valuesEqual(doc._id, existing._id)
    ) {
      throw immutableIdError();
    }
    if (mode === 'keepExisting') return undefined;
    if (mode === 'replace') return idFirst(doc, existing._id);
    if (mode === 'merge') {
      const out: BsonDocument = { ...existing };
      for (const [name, value] of Object.entries(doc)) setField(out, name, value);
      return out;
    }
    if (mode === 'fail') return undefined;
    const result = mode.apply(existing, doc);
    if (result._id !== undefined && !valuesEqual(result._id, existing._id))
      throw immutableIdError();
    return idFirst(result, existing._id);
  }

  private writeOne(doc: BsonDocument): void {
    let source = doc;
    if (this.spec.on.includes('_id') && source._id === undefined)
      source = { ...source, _id: new ObjectId() };
    const values = this.keyValues(source);
    const existingEntry = this.storage.collection(this.spec.namespace);
    const match = existingEntry === undefined ? undefined : this.findMatch(existingEntry, values);
    if (match === undefined) {
      if (this.spec.whenNotMatched === 'discard') return;
      if (this.spec.whenNotMatched === 'fail') {
        throw new MongoError(
          'MergeStageNoMatchingDocument',
          '$merge could not find a matching document in the target collection for at least one document in the source collection',
        );
      }
      const entry = existingEntry ?? this.environment.writes.ensureCollection(this.spec.namespace);
      const prepared = this.environment.writes.prepareInsert(source);
      this.environment.writes.validate(entry, prepared.doc, undefined);
      insertDocument(this.storage, entry, prepared.raw, prepared.doc);
      return;
    }
    const entry = existingEntry as CollectionEntry;
    const existing = deserialize(match.raw, decodeOptions);
    if (this.spec.whenMatched === 'fail') {
      // The server inserts, and the unique index reports the duplicate.
      const prepared = this.environment.writes.prepareInsert(source);
      insertDocument(this.storage, entry, prepared.raw, prepared.doc);
      return;
    }
    const replacement = this.updated(existing, source);
    if (replacement === undefined) return;
    const raw = encodeDocument(replacement);
    if (raw.length > bsonObjectSizeMax) {
      throw new MongoError(
        'BSONObjectTooLarge',
        `$merge produced a document of ${raw.length} bytes, over the ${bsonObjectSizeMax} byte limit`,
      );
    }
    this.environment.writes.validate(entry, replacement, existing);
    updateDocument(
      this.storage,
      entry,
      match.recordId,
      { raw: match.raw, doc: existing },
      { raw, doc: replacement },
    );
  }

  /** Writes the pending documents in order; those before a failing one stay written. */
  private flush(): void {
    if (this.pending.length === 0) return;
    const docs = this.pending;
    this.pending = [];
    this.child.saveState();
    let failure: Error | undefined;
    this.storage.write(() => {
      for (const doc of docs) {
        try {
          this.writeOne(doc);
        } catch (error) {
          failure = error instanceof Error ? error : new Error(String(error));
          return;
        }
      }
    });
    if (failure !== undefined) throw failure;
  }

  next(): StageResult {
    if (this.finished) return undefined;
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
    this.finished = true;
    return undefined;
  }

  override isEOF(): boolean {
    return this.finished;
  }
}
