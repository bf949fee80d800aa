/**
 * The insert half of an upsert: start from the filter's equality fields (or the
 * replacement), apply the update as an insert ($setOnInsert applies), give it an `_id`,
 * and insert it with the same checks as the insert command.
 */
import type { BsonDocument } from '../../bson/types.js';
import { upsertSeedFor } from '../query-compiler.js';
import type { CompiledUpdate } from '../../query/update/index.js';
import type { CollectionEntry } from '../../storage/catalog-entry.js';
import { insertDocument } from '../../storage/document-writes.js';
import type { CommandContext } from '../context.js';
import { prepareInsert } from './prepare-insert.js';
import { updateContext } from './apply-update.js';
import { validateForWrite } from './document-validation.js';

/** Must run inside a storage write. Returns the inserted document. */
export function upsertDocument(
  context: CommandContext,
  entry: CollectionEntry,
  filter: BsonDocument,
  update: CompiledUpdate,
  bypassValidation: boolean,
): BsonDocument {
  const seed = upsertSeedFor(filter, update.kind);
  const doc = update.apply(seed, updateContext(context, true)).doc;
  const prepared = prepareInsert(doc, undefined);
  if (!bypassValidation) validateForWrite(context, entry, prepared.doc, undefined);
  insertDocument(context.server.storage, entry, prepared.raw, prepared.doc);
  return prepared.doc;
}
