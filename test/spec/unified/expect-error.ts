/**
 * expectedError: the error an operation raised, checked field by field. A bulk write error
 * aggregates several server errors, so message, code and codeName checks look at each of
 * them (spec: bulkWrite, clientBulkWrite).
 */
import {
  MongoBulkWriteError,
  MongoClientBulkWriteError,
  MongoOperationTimeoutError,
  MongoServerError,
} from 'mongodb';
import type { Document } from 'mongodb';
import { describeValue, isDocument, numericValue } from './bson-values.js';
import type { EntityMap } from './entities.js';
import { assertMatches, MatchError } from './match.js';
import { modelToDocument } from './results.js';
import type { ExpectedError } from './schema.js';

interface ErrorFields {
  message?: unknown;
  errmsg?: unknown;
  code?: unknown;
  codeName?: unknown;
  errorLabels?: unknown;
}

/** The error itself, its cause (clientBulkWrite) and the write and write concern errors it carries. */
function parts(error: unknown): ErrorFields[] {
  const found: ErrorFields[] = [error as ErrorFields];
  if (error instanceof MongoClientBulkWriteError) {
    if (error.cause !== undefined) found.push(error.cause);
    for (const writeError of error.writeErrors.values()) found.push(writeError);
    found.push(...(error.writeConcernErrors as ErrorFields[]));
  } else if (error instanceof MongoBulkWriteError) {
    const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
    found.push(
      ...writeErrors.map((writeError) => ({
        ...(writeError.toJSON() as ErrorFields),
        errmsg: writeError.errmsg,
      })),
    );
    if (error.err !== undefined) found.push(error.err);
  }
  return found;
}

function labelsOf(error: unknown): string[] {
  const labels = parts(error).flatMap((part) =>
    Array.isArray(part.errorLabels) ? part.errorLabels.map(String) : [],
  );
  const own = (error as { errorLabelSet?: Set<string> }).errorLabelSet;
  return [...labels, ...(own instanceof Set ? [...own] : [])];
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new MatchError(`expectError: ${message}`);
}

function checkMessages(expected: ExpectedError, error: unknown): void {
  if (expected.errorContains === undefined) return;
  const wanted = expected.errorContains.toLowerCase();
  const messages = parts(error).flatMap((part) =>
    [part.message, part.errmsg].filter((text) => typeof text === 'string'),
  );
  check(
    messages.some((text) => String(text).toLowerCase().includes(wanted)),
    `no message contains "${expected.errorContains}": ${describeValue(messages)}`,
  );
}

function checkCodes(expected: ExpectedError, error: unknown): void {
  if (expected.errorCode !== undefined) {
    const wanted = numericValue(expected.errorCode);
    const codes = parts(error).map((part) => numericValue(part.code));
    check(
      codes.includes(wanted),
      `expected code ${String(wanted)}, got ${describeValue(codes.filter((code) => code !== undefined).map(Number))}`,
    );
  }
  if (expected.errorCodeName !== undefined) {
    const wanted = expected.errorCodeName.toLowerCase();
    const names = parts(error).flatMap((part) =>
      typeof part.codeName === 'string' ? [part.codeName] : [],
    );
    check(
      names.some((name) => name.toLowerCase() === wanted),
      `expected codeName ${expected.errorCodeName}, got ${describeValue(names)}`,
    );
  }
}

function checkLabels(expected: ExpectedError, error: unknown): void {
  const labels = labelsOf(error);
  for (const label of expected.errorLabelsContain ?? [])
    check(labels.includes(label), `missing label ${label} in ${describeValue(labels)}`);
  for (const label of expected.errorLabelsOmit ?? [])
    check(!labels.includes(label), `unexpected label ${label}`);
}

function checkClientBulkWriteDetails(
  expected: ExpectedError,
  error: unknown,
  entities: EntityMap,
): void {
  if (expected.writeErrors === undefined && expected.writeConcernErrors === undefined) return;
  check(
    error instanceof MongoClientBulkWriteError,
    'writeErrors/writeConcernErrors need a client bulk write error',
  );
  const bulkError = error as MongoClientBulkWriteError;
  if (expected.writeErrors !== undefined) {
    const actual = modelToDocument(bulkError.writeErrors) as Document;
    const extra = Object.keys(actual).filter((index) => !(index in expected.writeErrors!));
    check(extra.length === 0, `unexpected write errors at ${extra.join(', ')}`);
    for (const [index, writeError] of Object.entries(expected.writeErrors)) {
      check(index in actual, `no write error at index ${index}`);
      assertMatches(writeError, actual[index], entities);
    }
  }
  if (expected.writeConcernErrors !== undefined) {
    const actual = bulkError.writeConcernErrors;
    check(
      actual.length === expected.writeConcernErrors.length,
      `expected ${expected.writeConcernErrors.length} write concern errors, got ${actual.length}`,
    );
    expected.writeConcernErrors.forEach((item, index) =>
      assertMatches(item, actual[index], entities),
    );
  }
}

/** The result a failed operation still reports (BulkWriteException's partial result). */
function errorResult(error: unknown): unknown {
  if (error instanceof MongoClientBulkWriteError) return modelToDocument(error.partialResult);
  if (error instanceof MongoBulkWriteError) return modelToDocument(error.result);
  return undefined;
}

function serverResponse(error: unknown): unknown {
  const source =
    error instanceof MongoClientBulkWriteError && error.cause !== undefined ? error.cause : error;
  const response = (source as { errorResponse?: unknown }).errorResponse;
  return isDocument(response) ? response : source;
}

export function assertExpectedError(
  expected: ExpectedError,
  error: unknown,
  entities: EntityMap,
): void {
  check(error instanceof Error, `expected an Error, got ${describeValue(error)}`);
  if (expected.isClientError !== undefined) {
    const isClient = !(error instanceof MongoServerError);
    check(
      isClient === expected.isClientError,
      `expected a ${expected.isClientError ? 'client' : 'server'} error, got ${String(error)}`,
    );
  }
  if (expected.isTimeoutError !== undefined) {
    check(
      error instanceof MongoOperationTimeoutError === expected.isTimeoutError,
      `isTimeoutError: ${String(error)}`,
    );
  }
  checkMessages(expected, error);
  checkCodes(expected, error);
  checkLabels(expected, error);
  checkClientBulkWriteDetails(expected, error, entities);
  if (expected.errorResponse !== undefined)
    assertMatches(expected.errorResponse, serverResponse(error), entities);
  if (expected.expectResult !== undefined)
    assertMatches(expected.expectResult, errorResult(error), entities);
}
