/**
 * Collection entity operations (CRUD and Index Management specs): arguments map onto the
 * Node driver's methods by name, results become documents.
 */
import type { AnyBulkWriteOperation, Collection, Document, Filter, UpdateFilter } from 'mongodb';
import type { OperationHandler, OperationResult } from './test-state.js';
import { modelToDocument, updateResultDocument } from './results.js';
import { createChangeStream } from './cursor-operations.js';

type CollectionHandler = OperationHandler<Collection>;

const documents = (value: unknown): OperationResult => ({ value, rootElements: true });
const plain = (value: unknown): OperationResult => ({ value: modelToDocument(value) });

export const collectionOperations: Record<string, CollectionHandler> = {
  createChangeStream: (collection, args) => createChangeStream(collection, args),
  async aggregate(collection, args) {
    const pipeline = args.required('pipeline') as Document[];
    return documents(await collection.aggregate(pipeline, args.options()).toArray());
  },
  async bulkWrite(collection, args) {
    const requests = args.required('requests') as AnyBulkWriteOperation[];
    return plain(await collection.bulkWrite(requests, args.options()));
  },
  async count(collection, args) {
    return { value: await collection.count(args.optionalDocument('filter'), args.options()) };
  },
  async countDocuments(collection, args) {
    return {
      value: await collection.countDocuments(args.optionalDocument('filter'), args.options()),
    };
  },
  async createFindCursor(collection, args) {
    const cursor = collection.find(args.optionalDocument('filter'), args.options());
    // The find command must have run before the cursor is saved (spec: createFindCursor);
    // hasNext() runs it without consuming the first document.
    await cursor.hasNext();
    return { entity: { kind: 'cursor', value: cursor } };
  },
  async createIndex(collection, args) {
    const keys = args.document('keys');
    return { value: await collection.createIndex(keys, args.options()) };
  },
  async deleteMany(collection, args) {
    return plain(await collection.deleteMany(args.optionalDocument('filter'), args.options()));
  },
  async deleteOne(collection, args) {
    return plain(await collection.deleteOne(args.optionalDocument('filter'), args.options()));
  },
  async distinct(collection, args) {
    const fieldName = args.string('fieldName');
    return {
      value: await collection.distinct(fieldName, args.optionalDocument('filter'), args.options()),
    };
  },
  async drop(collection, args) {
    return { value: await collection.drop(args.options()) };
  },
  async dropIndex(collection, args) {
    const name = args.string('name');
    return plain(await collection.dropIndex(name, args.options()));
  },
  async dropIndexes(collection, args) {
    return { value: await collection.dropIndexes(args.options()) };
  },
  async estimatedDocumentCount(collection, args) {
    return { value: await collection.estimatedDocumentCount(args.options()) };
  },
  async find(collection, args) {
    return documents(
      await collection.find(args.optionalDocument('filter'), args.options()).toArray(),
    );
  },
  async findOne(collection, args) {
    return { value: await collection.findOne(args.optionalDocument('filter'), args.options()) };
  },
  async findOneAndDelete(collection, args) {
    return { value: await collection.findOneAndDelete(args.document('filter'), args.options()) };
  },
  async findOneAndReplace(collection, args) {
    const filter = args.document('filter');
    const replacement = args.document('replacement');
    return { value: await collection.findOneAndReplace(filter, replacement, args.options()) };
  },
  async findOneAndUpdate(collection, args) {
    const filter = args.document('filter');
    const update = args.required('update') as UpdateFilter<Document> | Document[];
    return { value: await collection.findOneAndUpdate(filter, update, args.options()) };
  },
  async insertMany(collection, args) {
    const inserted = args.required('documents') as Document[];
    return plain(await collection.insertMany(inserted, args.options()));
  },
  async insertOne(collection, args) {
    return plain(await collection.insertOne(args.document('document'), args.options()));
  },
  async listIndexes(collection, args) {
    return documents(await collection.listIndexes(args.options()).toArray());
  },
  async listIndexNames(collection, args) {
    const indexes = await collection.listIndexes(args.options()).toArray();
    return { value: indexes.map((index) => index['name'] as unknown) };
  },
  async rename(collection, args) {
    const target = args.string('to');
    const renamed = await collection.rename(target, args.options());
    return { value: undefined, entity: { kind: 'collection', value: renamed } };
  },
  async replaceOne(collection, args) {
    const filter = args.document('filter') as Filter<Document>;
    const replacement = args.document('replacement');
    return {
      value: updateResultDocument(await collection.replaceOne(filter, replacement, args.options())),
    };
  },
  async updateMany(collection, args) {
    const filter = args.document('filter') as Filter<Document>;
    const update = args.required('update') as UpdateFilter<Document> | Document[];
    return {
      value: updateResultDocument(await collection.updateMany(filter, update, args.options())),
    };
  },
  async updateOne(collection, args) {
    const filter = args.document('filter') as Filter<Document>;
    const update = args.required('update') as UpdateFilter<Document> | Document[];
    return {
      value: updateResultDocument(await collection.updateOne(filter, update, args.options())),
    };
  },
  async createSearchIndex(collection, args) {
    const model = args.document('model');
    return {
      value: await collection.createSearchIndex(
        model as Parameters<Collection['createSearchIndex']>[0],
      ),
    };
  },
  async createSearchIndexes(collection, args) {
    const models = args.required('models') as Parameters<Collection['createSearchIndexes']>[0];
    return { value: await collection.createSearchIndexes(models) };
  },
  async dropSearchIndex(collection, args) {
    await collection.dropSearchIndex(args.string('name'));
    return {};
  },
  async listSearchIndexes(collection, args) {
    const name = args.take('name') as string | undefined;
    const options = (args.take('aggregationOptions') as Document | undefined) ?? {};
    const cursor =
      name === undefined
        ? collection.listSearchIndexes(options)
        : collection.listSearchIndexes(name, options);
    return documents(await cursor.toArray());
  },
  async updateSearchIndex(collection, args) {
    await collection.updateSearchIndex(args.string('name'), args.document('definition'));
    return {};
  },
};
