/**
 * Collection validators (create/collMod `validator`): checked on insert and update
 * unless bypassDocumentValidation; validationLevel "moderate" skips updates of documents
 * that were already invalid; validationAction "warn" logs instead of failing.
 */
import type { BsonDocument } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import type { CollectionEntry } from '../../storage/catalog-entry.js';
import type { CommandContext } from '../context.js';
import { QueryCompiler } from '../query-compiler.js';
import type { Matcher } from '../query-compiler.js';

/** Validators compiled once per command: $$NOW in a validator is the command's time. */
const compiled = new WeakMap<CommandContext, Map<BsonDocument, Matcher>>();

function validatorOf(context: CommandContext, entry: CollectionEntry): Matcher | undefined {
  const validator = entry.options.validator;
  if (!isDocument(validator) || entry.options.validationLevel === 'off') return undefined;
  let byValidator = compiled.get(context);
  if (byValidator === undefined) {
    byValidator = new Map();
    compiled.set(context, byValidator);
  }
  let matcher = byValidator.get(validator);
  if (matcher === undefined) {
    matcher = QueryCompiler.forCommand(context).matcher(validator);
    byValidator.set(validator, matcher);
  }
  return matcher;
}

export function validateForWrite(
  context: CommandContext,
  entry: CollectionEntry,
  doc: BsonDocument,
  previous: BsonDocument | undefined,
): void {
  const matcher = validatorOf(context, entry);
  if (matcher === undefined || matcher(doc)) return;
  if (previous !== undefined && entry.options.validationLevel === 'moderate' && !matcher(previous))
    return;
  if (entry.options.validationAction === 'warn') {
    context.server.log.warn('STORAGE', 20294, 'Document would fail validation', {
      namespace: entry.namespace,
      document: { _id: doc._id },
    });
    return;
  }
  throw new MongoError(121, 'Document failed validation', {
    errInfo: {
      failingDocumentId: doc._id ?? null,
      details: { operatorName: '$and', schemaRulesNotSatisfied: [] },
    },
  });
}
