/**
 * insert: ordered (stop at the first error) or unordered (report every error). A batch is
 * one storage transaction; each document's unique keys are checked before anything of it
 * is written, so a rejected document leaves nothing behind while the others commit.
 */
import { Int32 } from 'bson';
import type { BsonValue } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { insertDocument } from '../../storage/document-writes.js';
import type { CommandContext, CommandSpec, Reply } from '../context.js';
import { checkFields, collectionName, optionalBool } from '../args.js';
import { validateCollectionName } from '../namespace.js';
import { awaitWriteConcern, parseWriteConcern, validateWriteConcern } from '../write-concern.js';
import { prepareInsert } from './prepare-insert.js';
import { rawArrayItems } from '../../bson/raw-elements.js';
import { toWriteError } from './write-errors.js';
import type { WriteError } from './write-errors.js';
import { ensureCollection } from './ensure-collection.js';
import { validateForWrite } from './document-validation.js';

const fields = new Set(['documents', 'ordered', 'bypassDocumentValidation', 'let']);

function documentsOf(context: CommandContext): { docs: BsonValue[]; raws: Buffer[] | undefined } {
  const { body, sequences, rawSequences } = context.request;
  const fromSequence = sequences.get('documents');
  if (fromSequence !== undefined)
    return { docs: fromSequence, raws: rawSequences.get('documents') };
  const docs = body.documents;
  const raws = rawArrayItems(context.request.rawBody, 'documents');
  if (!Array.isArray(docs))
    throw new MongoError(40414, "BSON field 'insert.documents' is missing but a required field");
  return { docs, raws: raws?.length === docs.length ? raws : undefined };
}

async function insert(context: CommandContext): Promise<Reply> {
  const { body, database } = context.request;
  checkFields('insert', body, fields);
  const namespace = validateCollectionName(database, collectionName('insert', body));
  const ordered = optionalBool('insert', body, 'ordered') ?? true;
  const bypassValidation = optionalBool('insert', body, 'bypassDocumentValidation') ?? false;
  const concern = parseWriteConcern(body);
  validateWriteConcern(concern);
  const { docs, raws } = documentsOf(context);
  if (docs.length > 100_000)
    throw new MongoError(
      'InvalidLength',
      `Write batch sizes must be between 1 and 100000. Got ${docs.length} operations.`,
    );
  const { storage, opcounters } = context.server;
  const writeErrors: WriteError[] = [];
  let inserted = 0;
  storage.write(() => {
    const entry = ensureCollection(context, namespace);
    for (let index = 0; index < docs.length; index++) {
      opcounters.insert++;
      try {
        const doc = docs[index];
        if (!isDocument(doc))
          throw new MongoError('TypeMismatch', 'documents to insert must be objects');
        const prepared = prepareInsert(doc, raws?.[index]);
        if (!bypassValidation) validateForWrite(context, entry, prepared.doc, undefined);
        insertDocument(storage, entry, prepared.raw, prepared.doc);
        inserted++;
      } catch (error) {
        writeErrors.push(toWriteError(index, error));
        if (ordered) break;
      }
    }
  });
  context.operation.stats.ninserted = inserted;
  await awaitWriteConcern(context, concern);
  const reply: Reply = { n: new Int32(inserted) };
  if (writeErrors.length > 0) reply.writeErrors = writeErrors;
  return { ...reply, ok: 1 };
}

export const insertCommand: CommandSpec = {
  name: 'insert',
  help: 'Inserts documents.',
  kind: 'write',
  handler: insert,
};
