/**
 * createIndexes, listIndexes and dropIndexes. Builds (index-build.ts) index the existing
 * documents in batches while other clients go on; a build that fails (a duplicate key in
 * a unique build, parallel arrays, a dropped collection, killOp) leaves no index behind.
 */
import { Int32 } from 'bson';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import { compareDocuments } from '../../bson/compare.js';
import { documentToString } from '../../bson/to-string.js';
import { MongoError } from '../../errors/mongo-error.js';
import type { CollectionEntry, IndexEntry } from '../../storage/catalog-entry.js';
import { ValuesStage } from '../../query/exec/basic-stages.js';
import type { CommandContext, CommandSpec, Reply } from '../context.js';
import { collectionName, nonNegativeInteger, optionalDocument } from '../args.js';
import { validateCollectionName } from '../namespace.js';
import { openCursorReply } from '../crud/cursor-reply.js';
import { interruptCheck } from '../interrupt.js';
import { awaitWriteConcern, parseWriteConcern, validateWriteConcern } from '../write-concern.js';
import { normalizeIndexSpec } from './index-spec.js';
import { buildIndexes, indexBuildSettled } from './index-build.js';
import { idIndexSpec } from '../../storage/catalog-entry.js';

function sameOptions(a: BsonDocument, b: BsonDocument): boolean {
  const strip = (spec: BsonDocument): BsonDocument => {
    const { v: _v, name: _name, key: _key, ...options } = spec;
    return options;
  };
  return compareDocuments(strip(a), strip(b)) === 0;
}

/** 'exists' when an identical index exists; throws when the spec conflicts with one. */
function conflictCheck(
  indexes: readonly { name: string; spec: BsonDocument }[],
  spec: BsonDocument,
): 'exists' | 'new' {
  for (const index of indexes) {
    const sameName = index.name === spec.name;
    const sameKey =
      compareDocuments(index.spec.key as BsonDocument, spec.key as BsonDocument) === 0;
    if (sameName && sameKey) {
      if (sameOptions(index.spec, spec) || index.name === '_id_') return 'exists';
      throw new MongoError(
        'IndexOptionsConflict',
        `An equivalent index already exists with the same name but different options. Requested index: ${documentToString(spec)}, existing index: ${documentToString(index.spec)}`,
      );
    }
    if (sameName) {
      throw new MongoError(
        'IndexKeySpecsConflict',
        `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${documentToString(spec)}, existing index: ${documentToString(index.spec)}`,
      );
    }
    if (
      sameKey &&
      compareDocuments(
        (index.spec.partialFilterExpression as BsonDocument) ?? {},
        (spec.partialFilterExpression as BsonDocument) ?? {},
      ) === 0
    ) {
      throw new MongoError(
        'IndexOptionsConflict',
        `Index already exists with a different name: ${index.name}`,
      );
    }
  }
  return 'new';
}

async function createIndexes(context: CommandContext): Promise<Reply> {
  const { body, database } = context.request;
  const namespace = validateCollectionName(database, collectionName('createIndexes', body));
  const rawSpecs = body.indexes;
  if (!Array.isArray(rawSpecs))
    throw new MongoError(
      40414,
      "BSON field 'createIndexes.indexes' is missing but a required field",
    );
  if (rawSpecs.length === 0)
    throw new MongoError('BadValue', 'Must specify at least one index to create');
  const specs = rawSpecs.map(normalizeIndexSpec);
  const concern = parseWriteConcern(body);
  validateWriteConcern(concern);
  const storage = context.server.storage;
  let existing = storage.collection(namespace);
  // An identical index still being built: wait for that build, as mongod joins it.
  for (let building = buildingMatches(existing, specs); building.length > 0;) {
    await Promise.all(building.map(indexBuildSettled));
    existing = storage.collection(namespace);
    building = buildingMatches(existing, specs);
  }
  const before = existing?.indexes.length ?? 1;
  const fresh = freshSpecs(existing, specs);
  // create_indexes_cmd.cpp indexesAlreadyExist: an early reply without
  // createdCollectionAutomatically.
  if (existing !== undefined && fresh.length === 0) {
    await awaitWriteConcern(context, concern);
    return {
      numIndexesBefore: new Int32(before),
      numIndexesAfter: new Int32(before),
      note: 'all indexes already exist',
    };
  }
  const entry = await buildIndexes(context, namespace, fresh);
  for (const spec of fresh) {
    context.server.log.info('INDEX', 20345, 'Index build: done building', {
      namespace,
      index: spec.name,
    });
  }
  const reply: Reply = {
    numIndexesBefore: new Int32(before),
    numIndexesAfter: new Int32(entry.indexes.length),
    createdCollectionAutomatically: existing === undefined,
  };
  // appendFinalIndexFieldsToResult.
  if (fresh.length === 0) reply.note = 'all indexes already exist';
  else if (fresh.length < specs.length) reply.note = 'index already exists';
  await awaitWriteConcern(context, concern);
  return reply;
}

/** Indexes of the collection that match a requested spec and are still being built. */
function buildingMatches(
  entry: CollectionEntry | undefined,
  specs: readonly BsonDocument[],
): IndexEntry[] {
  return (entry?.indexes ?? []).filter(
    (index) =>
      index.building &&
      specs.some(
        (spec) =>
          spec.name === index.name &&
          compareDocuments(spec.key as BsonDocument, index.spec.key as BsonDocument) === 0,
      ),
  );
}

/**
 * The specs that need building: those not in the collection, nor earlier in the same
 * request (an identical spec twice builds one index, a conflicting one fails).
 */
function freshSpecs(entry: CollectionEntry | undefined, specs: BsonDocument[]): BsonDocument[] {
  // A collection createIndexes creates starts with its _id index.
  const known = (entry?.indexes ?? [{ name: '_id_', spec: idIndexSpec() }]).map((index) => ({
    name: index.name,
    spec: index.spec,
  }));
  const fresh: BsonDocument[] = [];
  for (const spec of specs) {
    if (conflictCheck(known, spec) === 'exists') continue;
    fresh.push(spec);
    known.push({ name: spec.name as string, spec });
  }
  return fresh;
}

export const createIndexesCommand: CommandSpec = {
  name: 'createIndexes',
  help: 'Builds indexes on a collection.',
  kind: 'write',
  handler: createIndexes,
};

export const listIndexesCommand: CommandSpec = {
  name: 'listIndexes',
  help: "Lists a collection's indexes.",
  handler: (context) => {
    const { body, database } = context.request;
    const namespace = validateCollectionName(database, collectionName('listIndexes', body));
    const entry = context.server.storage.collection(namespace);
    if (entry === undefined)
      throw new MongoError('NamespaceNotFound', `ns does not exist: ${namespace}`);
    const cursor = optionalDocument('listIndexes', body, 'cursor') ?? {};
    return openCursorReply(context, {
      namespace: `${database}.$cmd.listIndexes.${entry.name}`,
      stage: new ValuesStage(entry.indexes.map((index) => index.spec)),
      batchSize: nonNegativeInteger('listIndexes', cursor, 'batchSize'),
      singleBatch: false,
      checkInterrupt: interruptCheck(context),
    });
  },
};

/** The indexes a dropIndexes `index` argument names. */
export function indexesNamed(entry: CollectionEntry, target: BsonValue | undefined): IndexEntry[] {
  if (target === '*') return entry.indexes.filter((index) => index.name !== '_id_');
  const names = Array.isArray(target) ? target : [target];
  return names.map((name) => {
    if (isDocument(name)) {
      const matches = entry.indexes.filter(
        (candidate) => compareDocuments(candidate.spec.key as BsonDocument, name) === 0,
      );
      const [index, other] = matches;
      if (index === undefined)
        throw new MongoError(
          'IndexNotFound',
          `can't find index with key: ${documentToString(name)}`,
        );
      // drop_indexes.cpp: partial indexes may share a key pattern; then only a name will do.
      if (other !== undefined)
        throw new MongoError(
          'AmbiguousIndexKeyPattern',
          `${matches.length} indexes found for key: ${documentToString(name)}, identify by name instead. Conflicting indexes: ${documentToString(index.spec)}, ${documentToString(other.spec)}`,
        );
      return index;
    }
    if (typeof name !== 'string')
      throw new MongoError(
        'TypeMismatch',
        "'index' must be a string, an object or an array of strings",
      );
    const index = entry.indexes.find((candidate) => candidate.name === name);
    if (index === undefined)
      throw new MongoError('IndexNotFound', `index not found with name [${name}]`);
    return index;
  });
}

export const dropIndexesCommand: CommandSpec = {
  name: 'dropIndexes',
  aliases: ['deleteIndexes'],
  help: 'Drops indexes by name, key pattern, list of names, or "*".',
  kind: 'write',
  handler: ({ server, request }) => {
    const { body, database } = request;
    const namespace = validateCollectionName(database, collectionName('dropIndexes', body));
    const entry = server.storage.collection(namespace);
    if (entry === undefined) throw new MongoError('NamespaceNotFound', `ns not found ${namespace}`);
    const targets = indexesNamed(entry, body.index);
    if (targets.some((index) => index.name === '_id_'))
      throw new MongoError('InvalidOptions', 'cannot drop _id index');
    const nIndexesWas = entry.indexes.length;
    server.storage.write(() => {
      for (const index of targets) server.storage.removeIndex(entry, index);
    });
    // drop_indexes.cpp: "*" says what it did.
    return body.index === '*'
      ? { nIndexesWas: new Int32(nIndexesWas), msg: 'non-_id indexes dropped for collection' }
      : { nIndexesWas: new Int32(nIndexesWas) };
  },
};
