/** Client entity operations: database listing, client bulk write, close. */
import type { AnyClientBulkWriteModel, Document } from 'mongodb';
import type { ClientEntity } from './client-entity.js';
import { isDocument } from './bson-values.js';
import { modelToDocument } from './results.js';
import type { OperationHandler } from './test-state.js';
import { RunnerError } from './runner-error.js';
import { createChangeStream } from './cursor-operations.js';

type ClientHandler = OperationHandler<ClientEntity>;

/**
 * The format nests each write model under its type ({insertOne: {...}}); the driver wants
 * the type as a `name` field (spec: clientBulkWrite).
 */
function clientWriteModel(model: unknown): AnyClientBulkWriteModel<Document> {
  if (!isDocument(model)) throw new RunnerError('clientBulkWrite models must be documents');
  const [name, ...others] = Object.keys(model);
  if (name === undefined || others.length > 0)
    throw new RunnerError('a write model has exactly one type key');
  return { name, ...(model[name] as Document) } as AnyClientBulkWriteModel<Document>;
}

async function listDatabases(entity: ClientEntity, options: Document): Promise<Document[]> {
  const result = await entity.client.db('admin').admin().listDatabases(options);
  return result.databases;
}

export const clientOperations: Record<string, ClientHandler> = {
  createChangeStream: (entity, args) => createChangeStream(entity.client, args),
  async clientBulkWrite(entity, args) {
    const models = (args.required('models') as unknown[]).map(clientWriteModel);
    return { value: modelToDocument(await entity.client.bulkWrite(models, args.options())) };
  },
  async close(entity) {
    await entity.close();
    return {};
  },
  async listDatabaseNames(entity, args) {
    return {
      value: (await listDatabases(entity, args.options())).map(
        (database) => database['name'] as unknown,
      ),
    };
  },
  async listDatabaseObjects(entity, args) {
    return { value: await listDatabases(entity, args.options()), rootElements: true };
  },
  async listDatabases(entity, args) {
    return { value: await listDatabases(entity, args.options()), rootElements: true };
  },
};
