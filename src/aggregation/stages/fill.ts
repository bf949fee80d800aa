/**
 * $fill (document_source_fill.cpp) desugars, as in the server, into a $setWindowFields with
 * $linearFill or $locf for the `method` outputs, followed by an $addFields with $ifNull for
 * the `value` outputs. partitionByFields becomes a partition expression of those fields.
 */
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import type { ParseContext, StageDefinition } from '../pipeline-context.js';
import { parseAddFieldsStage } from './add-fields.js';
import { checkSpecFields } from './spec-fields.js';
import { parseSetWindowFields } from './window/set-window-fields.js';

function partitionOf(spec: BsonDocument): BsonValue | undefined {
  if (spec.partitionBy !== undefined && spec.partitionByFields !== undefined) {
    throw new MongoError(
      6050204,
      "Maximum one of 'partitionBy' and 'partitionByFields can be specified in '$fill'",
    );
  }
  if (spec.partitionByFields === undefined) return spec.partitionBy;
  const fields = spec.partitionByFields;
  if (!Array.isArray(fields) || fields.some((field) => typeof field !== 'string')) {
    throw new MongoError(
      'TypeMismatch',
      "BSON field '$fill.partitionByFields' is the wrong type, expected type 'array' of strings",
    );
  }
  const partition: BsonDocument = {};
  for (const field of fields as string[]) partition[field] = `$${field}`;
  return partition;
}

export function parseFill(spec: BsonValue, context: ParseContext): StageDefinition[] {
  if (!isDocument(spec))
    throw new MongoError('FailedToParse', '$fill specification must be an object');
  checkSpecFields(
    '$fill',
    spec,
    ['partitionBy', 'partitionByFields', 'sortBy', 'output'],
    ['output'],
  );
  const output = spec.output;
  if (!isDocument(output))
    throw new MongoError(
      'TypeMismatch',
      "BSON field '$fill.output' is the wrong type, expected type 'object'",
    );
  if (Object.keys(output).length === 0)
    throw new MongoError(6050203, "$fill 'output' field must contain at least one field");
  const methods: BsonDocument = {};
  const values: BsonDocument = {};
  for (const [field, fill] of Object.entries(output)) {
    if (!isDocument(fill))
      throw new MongoError(
        6050200,
        `Each fill output specification must be an object, found for '${field}'`,
      );
    checkSpecFields('FillOutputSpec', fill, ['value', 'method']);
    if ((fill.value === undefined) === (fill.method === undefined)) {
      throw new MongoError(
        6050201,
        "Exactly one of 'value' or 'method' must be specified in a $fill output field",
      );
    }
    if (fill.method !== undefined) {
      if (fill.method === 'linear') methods[field] = { $linearFill: `$${field}` };
      else if (fill.method === 'locf') methods[field] = { $locf: `$${field}` };
      else throw new MongoError(6050202, "Method must be either 'linear' or 'locf'");
    } else {
      values[field] = { $ifNull: [`$${field}`, fill.value] };
    }
  }
  const stages: StageDefinition[] = [];
  if (Object.keys(methods).length > 0) {
    const windowSpec: BsonDocument = { output: methods };
    const partition = partitionOf(spec);
    if (partition !== undefined) windowSpec.partitionBy = partition;
    if (spec.sortBy !== undefined) windowSpec.sortBy = spec.sortBy;
    stages.push(parseSetWindowFields(windowSpec, context));
  } else {
    partitionOf(spec);
  }
  if (Object.keys(values).length > 0)
    stages.push(parseAddFieldsStage(values, context, '$addFields'));
  return stages;
}
