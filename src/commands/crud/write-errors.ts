/** The writeErrors entries of a write reply, in MongoDB's shape. */
import { Int32 } from 'bson';
import { MongoError } from '../../errors/mongo-error.js';

export interface WriteError {
  index: Int32;
  code: number;
  codeName?: string;
  errmsg: string;
  [extra: string]: unknown;
}

/** MongoError becomes a write error; anything else is a bug and propagates. */
export function toWriteError(index: number, error: unknown): WriteError {
  if (!(error instanceof MongoError)) throw error;
  return {
    index: new Int32(index),
    code: error.code,
    errmsg: error.message,
    ...(error.extra ?? {}),
  };
}
