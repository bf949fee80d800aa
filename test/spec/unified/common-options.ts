/**
 * Common Options of the unified format turned into what the Node driver takes: read and
 * write concern, read preference, and the connection string of a client entity.
 */
import { ReadPreference } from 'mongodb';
import type { Document, ReadConcernLike, ReadPreferenceMode, WriteConcernSettings } from 'mongodb';
import { isDocument, toPlainNumbers } from './bson-values.js';
import { RunnerError } from './runner-error.js';

export function readPreferenceOption(value: unknown): ReadPreference {
  if (!isDocument(value) || typeof value['mode'] !== 'string')
    throw new RunnerError('readPreference needs a mode');
  const plain = toPlainNumbers(value) as Document;
  const options: Document = {};
  if (plain['maxStalenessSeconds'] !== undefined)
    options['maxStalenessSeconds'] = plain['maxStalenessSeconds'];
  if (plain['hedge'] !== undefined) options['hedge'] = plain['hedge'];
  return new ReadPreference(
    plain['mode'] as ReadPreferenceMode,
    plain['tagSets'] as Document[] | undefined,
    options,
  );
}

export function readConcernOption(value: unknown): ReadConcernLike {
  return toPlainNumbers(value) as ReadConcernLike;
}

export function writeConcernOption(value: unknown): WriteConcernSettings {
  return toPlainNumbers(value) as WriteConcernSettings;
}

/**
 * collectionOrDatabaseOptions, transaction options and the like: the concern and preference
 * fields are converted, numbers made plain (the driver tests `w === 0`, not Int32(0)).
 */
export function concernOptions(options: Document | undefined): Document {
  const converted: Document = {};
  for (const [key, value] of Object.entries(options ?? {})) {
    if (key === 'readPreference') converted[key] = readPreferenceOption(value);
    else if (key === 'readConcern') converted[key] = readConcernOption(value);
    else if (key === 'writeConcern') converted[key] = writeConcernOption(value);
    else converted[key] = toPlainNumbers(value);
  }
  return converted;
}

function uriOptionText(name: string, value: unknown): string {
  if (isDocument(value)) {
    if ('$$placeholder' in value)
      throw new RunnerError(`runner cannot fill the $$placeholder of uriOptions.${name}`);
    return Object.entries(value)
      .map(([key, field]) => `${key}:${String(toPlainNumbers(field))}`)
      .join(',');
  }
  return String(toPlainNumbers(value));
}

/** uriOptions override the suite's connection string (spec: entity client). */
export function connectionString(uri: string, uriOptions: Document | undefined): string {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(uriOptions ?? {})) {
    url.searchParams.delete(name);
    if (name === 'readPreferenceTags' && Array.isArray(value)) {
      for (const tags of value) url.searchParams.append(name, uriOptionText(name, tags));
    } else {
      url.searchParams.set(name, uriOptionText(name, value));
    }
  }
  return url.toString();
}
