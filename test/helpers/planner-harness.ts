/**
 * An in-process oracle for the index planner: loads documents and indexes into a real
 * StorageEngine, runs a query through planFindQuery (the planner's choice, or a hinted
 * index), and runs the same query as a reference: every stored document through the same
 * matcher, a stable sort with the same comparator, skip, limit and projection.
 *
 * Results are compared by recordId (which stored document) and by projected content; the
 * order must match when the sort is total, and the sort keys must match in order when it
 * is not (ties may come out in any order).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { deserialize, EJSON } from 'bson';
import type { BsonDocument } from '../../src/bson/types.js';
import { decodeOptions } from '../../src/bson/types.js';
import { encodeDocument } from '../../src/bson/serialize.js';
import { MongoError } from '../../src/errors/mongo-error.js';
import { SeededRandom } from '../../src/platform/random.js';
import { StorageEngine } from '../../src/storage/storage-engine.js';
import type { CollectionEntry, IndexEntry } from '../../src/storage/catalog-entry.js';
import {
  deleteDocument,
  insertDocument,
  updateDocument,
} from '../../src/storage/document-writes.js';
import { makeIndexEntry } from '../../src/storage/catalog-entry.js';
import { encodeKey } from '../../src/bson/key-string.js';
import { indexKeysOf } from '../../src/storage/index-keys.js';
import { buildIndex } from '../../src/commands/ddl/index-build.js';
import { normalizeIndexSpec } from '../../src/commands/ddl/index-spec.js';
import { compareDocuments } from '../../src/bson/compare.js';
import { compileFilter } from '../../src/query/filter/index.js';
import { compileSort } from '../../src/query/sort.js';
import type { SortComparator, SortKey } from '../../src/query/sort.js';
import { compileProjection } from '../../src/query/projection.js';
import { planFindQuery } from '../../src/query/exec/build-find-plan.js';
import type { PlanStage } from '../../src/query/exec/plan-stage.js';
import { documentOf, needYield } from '../../src/query/exec/plan-stage.js';
import type { IndexPlan, Mutation, QueryPlan } from './planner-arbitraries.js';

export interface Row {
  recordId: number;
  doc: BsonDocument;
}

export type Outcome =
  | { ok: true; rows: Row[]; summary: string; covered: boolean }
  | { ok: false; code: number; message: string };

export interface LoadedCollection {
  entry: CollectionEntry;
  /** Stored documents in recordId order. */
  stored: Row[];
}

function encodedKeys(index: IndexEntry, doc: BsonDocument): Set<string> {
  const directions = index.fields.map((field) => field.direction);
  return new Set(
    indexKeysOf(index, doc).keys.map((key) => encodeKey(key, directions).key.toString('hex')),
  );
}

/**
 * The error MongoDB gives for writing `doc` next to `others`: the key generator's error
 * when an index cannot key it, DuplicateKey (11000) when a unique index already
 * holds one of its keys (equal keys encode to equal KeyStrings, whatever the numeric type
 * or string length).
 */
function expectedWriteError(
  indexes: readonly IndexEntry[],
  others: readonly BsonDocument[],
  doc: BsonDocument,
): number | undefined {
  try {
    for (const index of indexes) indexKeysOf(index, doc);
  } catch (error) {
    // Parallel arrays (171), or a numeric field name where a positional path meets an
    // array (16746): the key generator's verdict is the write's.
    if (error instanceof MongoError) return error.code;
    throw error;
  }
  for (const index of indexes) {
    if (!index.unique) continue;
    const keys = encodedKeys(index, doc);
    for (const other of others) {
      for (const key of encodedKeys(index, other)) if (keys.has(key)) return 11000;
    }
  }
  return undefined;
}

/** Runs a write and checks it failed exactly when, and how, MongoDB says it must. */
function expectWrite(expected: number | undefined, write: () => void, what: () => string): void {
  let code: number | undefined;
  try {
    write();
  } catch (error) {
    if (!(error instanceof MongoError)) throw error;
    code = error.code;
  }
  assert.equal(code, expected, what());
}

export class PlannerHarness {
  private collections = 0;

  private constructor(
    readonly storage: StorageEngine,
    private readonly directory: string,
  ) {}

  static open(): PlannerHarness {
    const directory = mkdtempSync(join(tmpdir(), 'shoal-planner-'));
    const storage = StorageEngine.open({ directory, ephemeral: true, random: new SeededRandom(7) });
    return new PlannerHarness(storage, directory);
  }

  async close(): Promise<void> {
    await this.storage.close();
    rmSync(this.directory, { recursive: true, force: true });
  }

  drop(collection: LoadedCollection): void {
    this.storage.write(() => this.storage.dropCollection(collection.entry.namespace));
  }

  private storedDocuments(entry: CollectionEntry): Row[] {
    return [...this.storage.scanRecords(entry)].map(({ recordId, raw }) => ({
      recordId,
      doc: deserialize(raw, decodeOptions),
    }));
  }

  /**
   * Builds one index over the stored documents, checking that the build fails exactly
   * when a document cannot be keyed or a unique key repeats; a unique index that cannot
   * be built is retried as a plain one.
   */
  private addIndex(entry: CollectionEntry, plan: IndexPlan, name: string): void {
    const existing = entry.indexes.some(
      (index) => compareDocuments(index.spec.key as BsonDocument, plan.key) === 0,
    );
    if (existing) return;
    const spec: BsonDocument = { key: plan.key, name };
    if (plan.unique) spec.unique = true;
    if (plan.sparse) spec.sparse = true;
    if (plan.partialFilterExpression !== undefined)
      spec.partialFilterExpression = plan.partialFilterExpression;
    const normalized = normalizeIndexSpec(spec);
    const candidate = makeIndexEntry(0, normalized);
    const docs = this.storedDocuments(entry).map((row) => row.doc);
    let expected: number | undefined;
    docs.forEach((doc, i) => {
      expected ??= expectedWriteError([candidate], docs.slice(0, i), doc);
    });
    expectWrite(
      expected,
      () => this.storage.write(() => buildIndex(this.storage, entry, normalized)),
      () => `building ${describeCase(normalized)}`,
    );
    if (expected !== undefined && plan.unique)
      this.addIndex(entry, { ...plan, unique: false }, name);
  }

  private insert(entry: CollectionEntry, doc: BsonDocument): void {
    const others = this.storedDocuments(entry).map((row) => row.doc);
    expectWrite(
      expectedWriteError(entry.indexes, others, doc),
      () => this.storage.write(() => insertDocument(this.storage, entry, encodeDocument(doc), doc)),
      () => `inserting ${describeCase(doc)}`,
    );
  }

  load(docs: readonly BsonDocument[], indexes: readonly IndexPlan[]): LoadedCollection {
    const namespace = `db.c${this.collections++}`;
    const entry = this.storage.write(() => this.storage.createCollection(namespace, {}));
    indexes.forEach((plan, i) => {
      if (!plan.buildAfterInsert) this.addIndex(entry, plan, `i${i}`);
    });
    for (const doc of docs) this.insert(entry, doc);
    indexes.forEach((plan, i) => {
      if (plan.buildAfterInsert) this.addIndex(entry, plan, `i${i}`);
    });
    return { entry, stored: this.storedDocuments(entry) };
  }

  /** Applies inserts, updates (a new body, same _id) and deletes; returns the new state. */
  mutate(collection: LoadedCollection, mutations: readonly Mutation[]): LoadedCollection {
    const { entry } = collection;
    for (const mutation of mutations) {
      const stored = this.storedDocuments(entry);
      if (mutation.kind === 'insert') {
        this.insert(entry, mutation.doc);
        continue;
      }
      const target = stored[mutation.position % Math.max(stored.length, 1)];
      if (target === undefined) continue;
      const before = {
        raw: this.storage.getRecord(entry, target.recordId) as Buffer,
        doc: target.doc,
      };
      if (mutation.kind === 'delete') {
        this.storage.write(() =>
          deleteDocument(this.storage, entry, target.recordId, before.raw, before.doc),
        );
        continue;
      }
      const doc: BsonDocument = { _id: target.doc._id, ...mutation.body };
      const others = stored.filter((row) => row !== target).map((row) => row.doc);
      const after = { raw: encodeDocument(doc), doc };
      expectWrite(
        expectedWriteError(entry.indexes, others, doc),
        () =>
          this.storage.write(() =>
            updateDocument(this.storage, entry, target.recordId, before, after),
          ),
        () => `updating to ${describeCase(doc)}`,
      );
    }
    return { entry, stored: this.storedDocuments(entry) };
  }

  /** The query through the planner: its own choice, or the hinted index. */
  run(
    collection: LoadedCollection,
    query: QueryPlan,
    options: { hint?: string | BsonDocument; saveEvery?: number } = {},
  ): Outcome {
    try {
      const projection =
        query.projection === undefined ? undefined : compileProjection(query.projection);
      const plan = planFindQuery(this.storage, collection.entry, {
        filter: query.filter,
        matcher: compileFilter(query.filter, { nullMatchesUndefined: true }),
        sortPattern: query.sort,
        comparator: query.sort === undefined ? undefined : compileSort(query.sort),
        naturalDirection: 1,
        natural: false,
        hint: options.hint,
        project: projection === undefined ? undefined : (doc) => projection.apply(doc),
        projectionFields:
          projection === undefined || projection.dependencies.wholeDocument
            ? undefined
            : projection.dependencies.fields,
        skip: query.skip,
        limit: query.limit,
        allowDiskUse: false,
      });
      const rows = drain(plan.stage, options.saveEvery ?? 0);
      const covered = plan.stage.stageName === 'PROJECTION_COVERED';
      return { ok: true, rows, summary: plan.summary, covered };
    } catch (error) {
      if (!(error instanceof MongoError)) throw error;
      return { ok: false, code: error.code, message: error.message };
    }
  }

  /** How many documents (of `index`, when given) the filter matches. */
  matchCount(collection: LoadedCollection, filter: BsonDocument, index?: IndexEntry): number {
    const matcher = compileFilter(filter, { nullMatchesUndefined: true });
    return collection.stored.filter(
      (row) =>
        (index === undefined || indexKeysOf(index, row.doc).keys.length > 0) && matcher(row.doc),
    ).length;
  }

  /** The same query by brute force; `index` restricts it to the documents that index holds. */
  reference(collection: LoadedCollection, query: QueryPlan, index?: IndexEntry): Outcome {
    try {
      const matcher = compileFilter(query.filter, { nullMatchesUndefined: true });
      let rows = collection.stored.filter(
        (row) =>
          (index === undefined || indexKeysOf(index, row.doc).keys.length > 0) && matcher(row.doc),
      );
      if (query.sort !== undefined) rows = stableSort(rows, compileSort(query.sort));
      rows = rows.slice(
        query.skip,
        query.limit === undefined ? undefined : query.skip + query.limit,
      );
      if (query.projection !== undefined) {
        const projection = compileProjection(query.projection);
        rows = rows.map((row) => ({ recordId: row.recordId, doc: projection.apply(row.doc) }));
      }
      return { ok: true, rows, summary: 'reference', covered: false };
    } catch (error) {
      if (!(error instanceof MongoError)) throw error;
      return { ok: false, code: error.code, message: error.message };
    }
  }
}

function stableSort(rows: Row[], comparator: SortComparator): Row[] {
  const keyed = rows.map((row) => ({ row, key: comparator.keyOf(row.doc) }));
  keyed.sort((x, y) => comparator.compareKeys(x.key, y.key));
  return keyed.map(({ row }) => row);
}

const drainStepsMax = 1_000_000;

/**
 * Runs a plan to the end, releasing storage iterators every `saveEvery` results and at the
 * end, as a cursor does between batches (an lmdb iterator left open pins a read snapshot).
 */
export function drain(stage: PlanStage, saveEvery: number): Row[] {
  const rows: Row[] = [];
  let steps = 0;
  try {
    for (;;) {
      // A stage that keeps yielding without progress would otherwise hang the test.
      assert.ok(++steps <= drainStepsMax, 'plan made no progress');
      const member = stage.next();
      if (member === undefined) return rows;
      if (member === needYield) {
        stage.saveState();
        continue;
      }
      assert.notEqual(member.recordId, undefined, 'every find result comes from a record');
      rows.push({ recordId: member.recordId as number, doc: documentOf(member) });
      if (saveEvery > 0 && rows.length % saveEvery === 0) stage.saveState();
    }
  } finally {
    stage.saveState();
  }
}

/** Canonical Extended JSON with top-level fields sorted: exact types, any field order. */
export function canonical(doc: BsonDocument): string {
  const sorted: BsonDocument = {};
  for (const key of Object.keys(doc).sort()) sorted[key] = doc[key];
  return EJSON.stringify(sorted, { relaxed: false });
}

function multiset(rows: readonly Row[]): string[] {
  return rows.map((row) => `${row.recordId} ${canonical(row.doc)}`).sort();
}

function sequence(rows: readonly Row[]): string[] {
  return rows.map((row) => `${row.recordId} ${canonical(row.doc)}`);
}

export interface AnswerContext {
  query: QueryPlan;
  collection: LoadedCollection;
  /** The reference without skip and limit: every document a valid answer may contain. */
  unlimited: Outcome;
  /** Documents the filter matches (before sort, skip and limit). */
  matched: number;
}

const parallelSortMessage = 'cannot sort with keys that are parallel arrays';

/** A sort is total when it ends with _id: then exactly one order is correct. */
export function isTotalSort(sort: BsonDocument | undefined): boolean {
  return sort !== undefined && Object.keys(sort).includes('_id');
}

/**
 * Asserts that `actual` is a correct answer when `expected` is one. With a total sort the
 * rows must match in order; otherwise ties may come out in any order (and skip/limit may
 * cut them anywhere), so the rows must be distinct matching documents, correctly
 * projected, whose sort keys follow the expected sequence.
 */
export function assertSameAnswer(
  actual: Outcome,
  expected: Outcome,
  context: AnswerContext,
  describe: () => string,
): void {
  if (!expected.ok) {
    // Shoal's SortStage computes sort keys only when it compares two documents, so a single
    // document with parallel arrays sorts without the error MongoDB raises for it.
    if (actual.ok && expected.message === parallelSortMessage && context.matched < 2) return;
    assert.ok(!actual.ok, `expected error ${expected.code} ${expected.message}\n${describe()}`);
    assert.equal(actual.code, expected.code, describe());
    return;
  }
  if (!actual.ok) assert.fail(`unexpected error ${actual.code} ${actual.message}\n${describe()}`);
  assert.equal(actual.rows.length, expected.rows.length, `result count\n${describe()}`);
  const { query } = context;
  if (isTotalSort(query.sort)) {
    assert.deepEqual(sequence(actual.rows), sequence(expected.rows), describe());
    return;
  }
  const limited = query.skip > 0 || query.limit !== undefined;
  if (!limited) {
    assert.deepEqual(multiset(actual.rows), multiset(expected.rows), describe());
  } else {
    assert.ok(context.unlimited.ok);
    const allowed = new Set(multiset(context.unlimited.rows));
    for (const row of sequence(actual.rows)) assert.ok(allowed.has(row), `${row}\n${describe()}`);
    assert.equal(new Set(actual.rows.map((row) => row.recordId)).size, actual.rows.length);
  }
  if (query.sort !== undefined) {
    const comparator = compileSort(query.sort);
    const byId = new Map(context.collection.stored.map((row) => [row.recordId, row.doc]));
    const keys = (rows: Row[]): SortKey[] =>
      rows.map((row) => comparator.keyOf(byId.get(row.recordId) as BsonDocument));
    const expectedKeys = keys(expected.rows);
    keys(actual.rows).forEach((key, i) => {
      const wanted = expectedKeys[i] as SortKey;
      assert.equal(comparator.compareKeys(key, wanted), 0, `sort key ${i}\n${describe()}`);
    });
  }
}

export function describeCase(value: unknown): string {
  return EJSON.stringify(value, { relaxed: true }).slice(0, 4000);
}
