/**
 * An operation's arguments, taken one by one by its handler; whatever is left becomes the
 * driver call's options. Documents (filters, updates, pipelines, commands) keep their BSON
 * number types so the server sees what the file says; scalar options become JS numbers
 * because the driver compares them with `===` (limit, batchSize, w, maxTimeMS).
 */
import type { Document } from 'mongodb';
import { numericValue, toPlainNumbers } from './bson-values.js';
import { readConcernOption, readPreferenceOption, writeConcernOption } from './common-options.js';
import type { EntityMap } from './entities.js';
import { RunnerError } from './runner-error.js';

export class Arguments {
  private readonly remaining: Map<string, unknown>;

  constructor(
    raw: Document | undefined,
    private readonly entities: EntityMap,
  ) {
    this.remaining = new Map(Object.entries(raw ?? {}));
  }

  /** The argument as written in the file, removed from the options. */
  take(name: string): unknown {
    const value = this.remaining.get(name);
    this.remaining.delete(name);
    return value;
  }

  required(name: string): unknown {
    const value = this.take(name);
    if (value === undefined) throw new RunnerError(`missing required argument ${name}`);
    return value;
  }

  document(name: string): Document {
    return this.required(name) as Document;
  }

  optionalDocument(name: string): Document {
    return (this.take(name) as Document | undefined) ?? {};
  }

  string(name: string): string {
    const value = this.required(name);
    if (typeof value !== 'string') throw new RunnerError(`argument ${name} must be a string`);
    return value;
  }

  number(name: string): number | undefined {
    const value = this.take(name);
    return value === undefined ? undefined : (toPlainNumbers(value) as number);
  }

  /** Everything not taken, exactly as the file has it (for command documents). */
  rest(): Document {
    const rest = Object.fromEntries(this.remaining);
    this.remaining.clear();
    return rest;
  }

  /** Everything not taken, as driver options (session resolved, concerns converted). */
  options(): Document {
    const options: Document = {};
    for (const [name, value] of this.remaining) options[name] = this.option(name, value);
    this.remaining.clear();
    return options;
  }

  private option(name: string, value: unknown): unknown {
    switch (name) {
      case 'session':
        return this.entities.of('session', String(value)).value;
      case 'readPreference':
        return readPreferenceOption(value);
      case 'readConcern':
        return readConcernOption(value);
      case 'writeConcern':
        return writeConcernOption(value);
      case 'returnDocument':
        return returnDocument(value);
      case 'comment':
        // Any BSON value, sent as the file types it.
        return value;
      default: {
        // Scalar options become JS numbers; documents (sort, hint, let, collation,
        // projection, arrayFilters, createCollection options) go to the server untouched.
        const numeric = numericValue(value);
        if (numeric === undefined) return value;
        return typeof numeric === 'bigint' ? Number(numeric) : numeric;
      }
    }
  }
}

/** "Before"/"After" in the files, case-insensitively (spec: findOneAndReplace and findOneAndUpdate). */
function returnDocument(value: unknown): 'before' | 'after' {
  const text = String(value).toLowerCase();
  if (text !== 'before' && text !== 'after')
    throw new RunnerError(`returnDocument must be Before or After, got ${String(value)}`);
  return text;
}
