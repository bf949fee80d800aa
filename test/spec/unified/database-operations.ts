/**
 * Database entity operations: commands, collections, and command cursors (Run Command and
 * Enumerating Collections specs).
 */
import type { Db, Document, RunCursorCommandOptions } from 'mongodb';
import type { Arguments } from './arguments.js';
import type { OperationHandler } from './test-state.js';
import { createChangeStream } from './cursor-operations.js';

type DatabaseHandler = OperationHandler<Db>;

/**
 * runCursorCommand / createCommandCursor: batchSize, maxTimeMS and comment configure the
 * getMores that follow, not the command itself (spec: runCursorCommand).
 */
function commandCursor(database: Db, args: Arguments) {
  const command = args.document('command');
  args.take('commandName');
  const batchSize = args.number('batchSize');
  const maxTimeMS = args.number('maxTimeMS');
  const comment = args.take('comment');
  const cursorType = args.take('cursorType');
  const timeoutMode = args.take('timeoutMode');
  const options = args.options() as RunCursorCommandOptions;
  if (cursorType === 'tailable') Object.assign(options, { tailable: true });
  if (cursorType === 'tailableAwait') Object.assign(options, { tailable: true, awaitData: true });
  if (timeoutMode !== undefined) Object.assign(options, { timeoutMode });
  const cursor = database.runCursorCommand(command, options);
  if (batchSize !== undefined) cursor.setBatchSize(batchSize);
  if (maxTimeMS !== undefined) cursor.setMaxTimeMS(maxTimeMS);
  if (comment !== undefined) cursor.setComment(comment);
  return cursor;
}

async function listCollections(database: Db, args: Arguments): Promise<Document[]> {
  const filter = args.optionalDocument('filter');
  return database.listCollections(filter, args.options()).toArray();
}

export const databaseOperations: Record<string, DatabaseHandler> = {
  createChangeStream: (database, args) => createChangeStream(database, args),
  async aggregate(database, args) {
    const pipeline = args.required('pipeline') as Document[];
    return {
      value: await database.aggregate(pipeline, args.options()).toArray(),
      rootElements: true,
    };
  },
  async createCollection(database, args) {
    const name = args.string('collection');
    const collection = await database.createCollection(name, args.options());
    return { entity: { kind: 'collection', value: collection } };
  },
  async createCommandCursor(database, args) {
    const cursor = commandCursor(database, args);
    // The command must have run before the cursor is saved (spec: createCommandCursor).
    await cursor.hasNext();
    return { entity: { kind: 'cursor', value: cursor } };
  },
  async dropCollection(database, args) {
    const name = args.string('collection');
    return { value: await database.dropCollection(name, args.options()) };
  },
  async listCollectionNames(database, args) {
    return {
      value: (await listCollections(database, args)).map(
        (collection) => collection['name'] as unknown,
      ),
    };
  },
  async listCollectionObjects(database, args) {
    return { value: await listCollections(database, args), rootElements: true };
  },
  async listCollections(database, args) {
    return { value: await listCollections(database, args), rootElements: true };
  },
  async modifyCollection(database, args, state) {
    const name = args.string('collection');
    const { session, ...fields } = args.rest();
    const options =
      session === undefined ? {} : { session: state.entities.of('session', String(session)).value };
    return { value: await database.command({ collMod: name, ...fields }, options) };
  },
  async runCommand(database, args) {
    const command = args.document('command');
    args.take('commandName');
    return { value: await database.command(command, args.options()) };
  },
  async runCursorCommand(database, args) {
    return { value: await commandCursor(database, args).toArray(), rootElements: true };
  },
};
