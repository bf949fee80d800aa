/**
 * The document an upsert starts from (UpdateDriver::populateDocumentWithQueryFields):
 * the equality predicates of the filter, with dotted paths expanded into subdocuments.
 * Equalities are what the canonical query reduces to EQ nodes: {a: v}, {a: {$eq: v}},
 * a one-element $in or $all, $and clauses, and a one-clause $or. Ranges, regexes and
 * other operators contribute nothing.
 */
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { BsonType, bsonTypeOf, isDocument } from '../../bson/types.js';
import { compareStrings } from '../../bson/compare.js';
import { MongoError } from '../../errors/mongo-error.js';
import { splitPath } from './field-path.js';
import { setField } from './working-document.js';

interface Equality {
  readonly path: string;
  readonly value: BsonValue;
}

/**
 * `kind` 'replacement' keeps only _id: a replacement document supplies everything else,
 * and a dotted _id predicate is then an error (NotExactValueField).
 *
 * Fields come out sorted by path. MongoDB builds them from a hash map, so its order is
 * unspecified (and has changed between releases); sorting keeps ours deterministic.
 */
export function upsertSeed(
  filter: BsonDocument,
  kind: 'operators' | 'replacement' = 'operators',
): BsonDocument {
  const equalities: Equality[] = [];
  collectEqualities(filter, equalities);
  equalities.sort((a, b) => compareStrings(a.path, b.path));
  const seen: string[] = [];
  const seed: BsonDocument = {};
  for (const equality of equalities) {
    if (kind === 'replacement' && !isIdPath(equality.path)) continue;
    if (kind === 'replacement' && equality.path !== '_id') {
      throw new MongoError(
        'NotExactValueField',
        `field at '_id' must be exactly specified, field at sub-path '${equality.path}'found`,
      );
    }
    checkConflicts(seen, equality.path);
    seen.push(equality.path);
    setAtPath(seed, splitPath(equality.path), equality.value);
  }
  return seed;
}

function isIdPath(path: string): boolean {
  return path === '_id' || path.startsWith('_id.');
}

function collectEqualities(filter: BsonDocument, out: Equality[]): void {
  for (const [name, value] of Object.entries(filter)) {
    if (name === '$and' && Array.isArray(value)) {
      for (const clause of value) if (isDocument(clause)) collectEqualities(clause, out);
    } else if (name === '$or' && Array.isArray(value) && value.length === 1) {
      const only = value[0];
      if (isDocument(only)) collectEqualities(only, out);
    } else if (!name.startsWith('$')) {
      collectFieldEqualities(name, value, out);
    }
  }
}

function collectFieldEqualities(path: string, value: BsonValue, out: Equality[]): void {
  if (bsonTypeOf(value) === BsonType.regex) return;
  if (!isOperatorDocument(value)) {
    out.push({ path, value });
    return;
  }
  for (const [operator, argument] of Object.entries(value)) {
    if (operator === '$eq') {
      out.push({ path, value: argument });
    } else if (operator === '$in' && Array.isArray(argument) && argument.length === 1) {
      const only = argument[0];
      if (bsonTypeOf(only) !== BsonType.regex) out.push({ path, value: only });
    } else if (operator === '$all' && Array.isArray(argument)) {
      for (const item of argument) {
        if (bsonTypeOf(item) !== BsonType.regex && !isElemMatch(item))
          out.push({ path, value: item });
      }
    }
  }
}

/** MatchExpressionParser's isExpressionDocument: $-first and not a DBRef. */
function isOperatorDocument(value: BsonValue): value is BsonDocument {
  if (!isDocument(value)) return false;
  const names = Object.keys(value);
  if (names.length === 0 || !(names[0] as string).startsWith('$')) return false;
  return !(names.includes('$ref') && names.includes('$id'));
}

function isElemMatch(value: BsonValue): boolean {
  return isDocument(value) && Object.keys(value)[0] === '$elemMatch';
}

/** pathsupport::checkEqualityConflicts: no path may equal or extend an earlier one. */
function checkConflicts(seen: readonly string[], path: string): void {
  for (const earlier of seen) {
    if (earlier === path) {
      throw new MongoError(
        'NotSingleValueField',
        `cannot infer query fields to set, path '${path}' is matched twice`,
      );
    }
    if (path.startsWith(`${earlier}.`)) {
      throw new MongoError(
        'NotSingleValueField',
        `cannot infer query fields to set, both paths '${path}' and '${earlier}' are matched`,
      );
    }
  }
}

function setAtPath(doc: BsonDocument, parts: readonly string[], value: BsonValue): void {
  let current = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i] as string;
    const next = current[part];
    if (isDocument(next) && Object.hasOwn(current, part)) {
      current = next;
    } else {
      const created: BsonDocument = {};
      setField(current, part, created);
      current = created;
    }
  }
  setField(current, parts.at(-1) as string, value);
}
