/**
 * FieldPath validation (pipeline/field_path.cpp), shared by sort and projection specs:
 * the paths they accept are the paths an aggregation expression could name.
 */
import { MongoError } from '../errors/mongo-error.js';

/** The $-prefixed names DBRefs use, which FieldPath lets through. */
const allowedDollarFields: ReadonlySet<string> = new Set(['$id', '$ref', '$db']);

const dotsAndDollarsHint = ' Consider using $getField or $setField.';

/** Throws MongoDB's error for a path FieldPath rejects; returns its components otherwise. */
export function validateFieldPath(path: string): string[] {
  if (path.length === 0)
    throw new MongoError(40352, 'FieldPath cannot be constructed with empty string');
  if (path.endsWith('.')) throw new MongoError(40353, "FieldPath must not end with a '.'.");
  const parts = path.split('.');
  for (const part of parts) validateFieldName(part);
  return parts;
}

export function validateFieldName(name: string): void {
  if (name.length === 0)
    throw new MongoError(15998, 'FieldPath field names may not be empty strings.');
  if (name.startsWith('$') && !allowedDollarFields.has(name)) {
    throw new MongoError(
      16410,
      `FieldPath field names may not start with '$'.${dotsAndDollarsHint}`,
    );
  }
  if (name.includes('\0'))
    throw new MongoError(16411, "FieldPath field names may not contain '\\0'.");
}
