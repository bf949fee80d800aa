/**
 * One update applied to one stored document: compute the new document, check the rules
 * every update must keep (`_id` unchanged, size limit, validator), and write it with its
 * index changes. Shared by update and findAndModify.
 */
import { Timestamp } from 'bson';
import type { BsonDocument } from '../../bson/types.js';
import { encodeDocument } from '../../bson/serialize.js';
import { compareValues } from '../../bson/compare.js';
import { bsonToString } from '../../bson/to-string.js';
import { MongoError } from '../../errors/mongo-error.js';
import type { CollectionEntry } from '../../storage/catalog-entry.js';
import { updateDocument } from '../../storage/document-writes.js';
import type { CompiledUpdate, UpdateContext } from '../../query/update/index.js';
import type { CommandContext } from '../context.js';
import { validateForWrite } from './document-validation.js';
import { bsonObjectSizeMax } from '../../wire/limits.js';
import { checkDocumentLimits, storageDepthMax } from '../../bson/document-limits.js';

export function updateContext(
  context: CommandContext,
  isInsert: boolean,
  arrayIndex?: number,
): UpdateContext {
  const nowMs = context.server.clock.wallMs();
  const update: UpdateContext = {
    isInsert,
    now: new Date(nowMs),
    nowTimestamp: new Timestamp({ t: Math.floor(nowMs / 1000), i: 1 }),
  };
  if (arrayIndex !== undefined) update.positionalIndex = arrayIndex;
  return update;
}

export function checkUpdatedSize(raw: Buffer): void {
  if (raw.length > bsonObjectSizeMax) {
    throw new MongoError(
      17419,
      `Resulting document after update is larger than ${bsonObjectSizeMax}`,
    );
  }
}

export interface AppliedUpdate {
  before: BsonDocument;
  after: BsonDocument;
  modified: boolean;
}

/** Must run inside a storage write. */
export function applyUpdateToRecord(
  context: CommandContext,
  entry: CollectionEntry,
  recordId: number,
  raw: Buffer,
  before: BsonDocument,
  update: CompiledUpdate,
  options: { arrayIndex: number | undefined; bypassValidation: boolean },
): AppliedUpdate {
  const { doc: after, modified } = update.apply(
    before,
    updateContext(context, false, options.arrayIndex),
  );
  if (!modified) return { before, after: before, modified: false };
  if (compareValues(after._id, before._id) !== 0 || after._id === undefined) {
    throw new MongoError(
      'ImmutableField',
      "After applying the update, the (immutable) field '_id' was found to have been altered to _id: " +
        bsonToString(after._id ?? null),
    );
  }
  // MongoDB stores _id first whatever produced the document (a pipeline may not).
  const stored = Object.keys(after)[0] === '_id' ? after : { _id: after._id, ...after };
  checkDocumentLimits(stored, storageDepthMax);
  const newRaw = encodeDocument(stored);
  checkUpdatedSize(newRaw);
  if (!options.bypassValidation) validateForWrite(context, entry, after, before);
  updateDocument(
    context.server.storage,
    entry,
    recordId,
    { raw, doc: before },
    { raw: newRaw, doc: stored },
  );
  return { before, after: stored, modified: true };
}
