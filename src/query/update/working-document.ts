/**
 * The document an update is being applied to, copied on write: the input is never
 * mutated. Every container on a path the update walks is shallow-copied once ("owned"),
 * so untouched subtrees stay shared with the input and each apply allocates in proportion
 * to the paths it touches, not to the document.
 */
import type { Timestamp } from 'bson';
import { dbRefToDocument } from '../../bson/compare.js';
import type { BsonArray, BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { assert } from '../../util/assert.js';
import { bsonElementToString } from '../../bson/to-string.js';
import { parseArrayIndex } from './field-path.js';

/** pathsupport::kMaxPaddingAllowed: how many nulls "a.<n>" may add to an array. */
export const arrayPaddingMax = 1_500_000;

export interface ApplySettings {
  readonly isInsert: boolean;
  /** The array index the query matched, as a field name, for the positional '$'. */
  readonly matchedField: string | undefined;
  readonly now: Date;
  readonly nowTimestamp: Timestamp;
  /** Storage checks on modified fields; off while building an upserted document. */
  readonly validateForStorage: boolean;
}

/** One element of the working document: `holder[name]`, or the root when no holder. */
export interface Slot {
  readonly holder: BsonDocument | BsonArray | undefined;
  /** The element's BSON field name; array elements are named by their index. */
  readonly name: string;
  value: BsonValue;
}

/** Sets a field without tripping the `__proto__` setter of plain objects. */
export function setField(doc: BsonDocument, name: string, value: BsonValue): void {
  if (name === '__proto__') {
    Object.defineProperty(doc, name, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  } else {
    doc[name] = value;
  }
}

/** The existing child of a document or array, without taking ownership. */
export function readChild(container: BsonValue, part: string): { value: BsonValue } | undefined {
  if (isDocument(container)) {
    return Object.hasOwn(container, part) ? { value: container[part] } : undefined;
  }
  if (Array.isArray(container)) {
    const index = parseArrayIndex(part);
    if (index === undefined || index >= container.length) return undefined;
    return { value: container[index] };
  }
  if (isDbRef(container)) return readChild(dbRefToDocument(container as never), part);
  return undefined;
}

function isDbRef(value: BsonValue): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { _bsontype?: unknown })._bsontype === 'DBRef'
  );
}

export class WorkingDocument {
  readonly root: BsonDocument;
  private readonly owned = new Set<object>();

  constructor(
    original: BsonDocument,
    readonly settings: ApplySettings,
  ) {
    this.root = { ...original };
    this.owned.add(this.root);
  }

  rootSlot(): Slot {
    return { holder: undefined, name: '', value: this.root };
  }

  /**
   * The existing child `part` of a container slot. Containers the caller will descend
   * into are owned; a leaf replaces its value whole, so it passes `own` false and no
   * copy is made of a value about to be discarded.
   */
  child(slot: Slot, part: string, own = true): Slot | undefined {
    const container = slot.value;
    if (isDocument(container)) {
      if (!Object.hasOwn(container, part)) return undefined;
      const value = this.ownChild(container, part, container[part], own);
      return { holder: container, name: part, value };
    }
    if (Array.isArray(container)) {
      const index = parseArrayIndex(part);
      if (index === undefined || index >= container.length) return undefined;
      const name = String(index);
      const value = this.ownChild(container, name, container[index], own);
      return { holder: container, name, value };
    }
    return undefined;
  }

  private ownChild(
    container: BsonDocument | BsonArray,
    name: string,
    current: BsonValue,
    own: boolean,
  ): BsonValue {
    if (!own) return current;
    assert(this.owned.has(container), 'descending through a container that is not owned');
    const value = this.own(current);
    if (value === current) return value;
    if (Array.isArray(container)) container[Number(name)] = value;
    else setField(container, name, value);
    return value;
  }

  /** A container value this apply may mutate: the value itself if owned, else a copy. */
  own(value: BsonValue): BsonValue {
    if (typeof value !== 'object' || value === null || this.owned.has(value)) return value;
    let copy: BsonDocument | BsonArray;
    if (Array.isArray(value)) copy = value.slice();
    else if (isDocument(value)) copy = { ...value };
    else if (isDbRef(value)) copy = dbRefToDocument(value as never);
    else return value;
    this.owned.add(copy);
    return copy;
  }

  write(slot: Slot, value: BsonValue): void {
    const holder = slot.holder;
    assert(holder !== undefined && this.owned.has(holder), 'writing into a holder not owned');
    if (Array.isArray(holder)) holder[Number(slot.name)] = value;
    else setField(holder, slot.name, value);
    slot.value = value;
  }

  /** Removes a field; an array element becomes null instead, as $unset does. */
  unset(slot: Slot): void {
    const holder = slot.holder;
    assert(holder !== undefined && this.owned.has(holder), 'unsetting in a holder not owned');
    if (Array.isArray(holder)) {
      holder[Number(slot.name)] = null;
      slot.value = null;
    } else {
      delete holder[slot.name];
    }
  }

  /**
   * pathsupport::createPathAt: creates `parts` under the existing element `slot` with
   * `value` at the end. Documents get a new last field; arrays are padded with nulls up
   * to the index.
   */
  createPath(slot: Slot, parts: readonly string[], value: BsonValue): void {
    assert(parts.length > 0, 'createPath needs at least one part');
    const container = slot.value;
    const first = parts[0] as string;
    if (!isDocument(container) && !Array.isArray(container)) throw notViable(first, slot);
    assert(this.owned.has(container), 'creating a path in a container not owned');
    let leaf = value;
    for (let i = parts.length - 1; i >= 1; i--) {
      const doc: BsonDocument = {};
      setField(doc, parts[i] as string, leaf);
      this.owned.add(doc);
      leaf = doc;
    }
    if (isDocument(container)) {
      setField(container, first, leaf);
      return;
    }
    const index = parseArrayIndex(first);
    if (index === undefined) throw notViable(first, slot);
    if (index - container.length > arrayPaddingMax) {
      throw new MongoError(
        'CannotBackfillArray',
        `can't backfill more than ${arrayPaddingMax} elements`,
      );
    }
    while (container.length < index) container.push(null);
    container.push(leaf);
  }

  /** "_id: <value>" or "no id", as update error messages name the document. */
  idDescription(): string {
    return Object.hasOwn(this.root, '_id') ? bsonElementToString('_id', this.root._id) : 'no id';
  }
}

function notViable(part: string, slot: Slot): MongoError {
  return new MongoError(
    'PathNotViable',
    `Cannot create field '${part}' in element {${bsonElementToString(slot.name, slot.value)}}`,
  );
}
