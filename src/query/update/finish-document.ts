/**
 * The last step of every update (update_stage.cpp, produce_document_for_upsert.cpp): _id
 * moves to the front, and a document about to be inserted by an upsert gets the insert
 * checks on _id. Generating a missing _id is the caller's job: it needs an ObjectId
 * source, which this pure module does not have.
 */
import type { BsonDocument } from '../../bson/types.js';
import { validateDocumentForStorage } from './storage-validation.js';
import { setField } from './working-document.js';

export function finishDocument(doc: BsonDocument, isInsert: boolean): BsonDocument {
  const result = withIdFirst(doc);
  // Upserted documents may keep top-level '$' names (the update never checked them).
  if (isInsert) validateDocumentForStorage(result, true);
  return result;
}

function withIdFirst(doc: BsonDocument): BsonDocument {
  if (!Object.hasOwn(doc, '_id')) return doc;
  for (const name in doc) {
    if (name === '_id') return doc;
    break;
  }
  const result: BsonDocument = {};
  setField(result, '_id', doc._id);
  for (const [name, value] of Object.entries(doc)) {
    if (name !== '_id') setField(result, name, value);
  }
  return result;
}
