/**
 * The one error type for operational failures a client should see. The command layer
 * renders it as `{ok: 0, errmsg, code, codeName}`; anything else that escapes a handler
 * is a bug and becomes InternalError.
 */
import type { BsonDocument } from '../bson/types.js';
import { codeNameOf, errorCodes } from './codes.js';
import type { ErrorCodeName } from './codes.js';

export class MongoError extends Error {
  override name = 'MongoError';
  readonly code: number;
  readonly codeName: string;
  /** Extra reply fields, such as keyPattern/keyValue on duplicate keys. */
  readonly extra: BsonDocument | undefined;
  readonly errorLabels: string[] = [];

  constructor(code: number | ErrorCodeName, message: string, extra?: BsonDocument) {
    super(message);
    this.code = typeof code === 'number' ? code : errorCodes[code];
    this.codeName = codeNameOf(this.code);
    this.extra = extra;
  }
}

/** Shorthand for the many "wrong type" checks in command parsing. */
export function typeMismatch(message: string): MongoError {
  return new MongoError('TypeMismatch', message);
}

export function badValue(message: string): MongoError {
  return new MongoError('BadValue', message);
}

export function failedToParse(message: string): MongoError {
  return new MongoError('FailedToParse', message);
}
