/** ClientSession entity operations (Driver Sessions and Transactions specs). */
import type { ClientSession, TransactionOptions } from 'mongodb';
import { concernOptions } from './common-options.js';
import { runOperation } from './run-operation.js';
import type { OperationDescription } from './schema.js';
import type { OperationHandler } from './test-state.js';

type SessionHandler = OperationHandler<ClientSession>;

export const sessionOperations: Record<string, SessionHandler> = {
  async abortTransaction(session) {
    await session.abortTransaction();
    return {};
  },
  async commitTransaction(session) {
    await session.commitTransaction();
    return {};
  },
  async endSession(session) {
    await session.endSession();
    return {};
  },
  getSnapshotTime(session) {
    return { value: (session as unknown as { snapshotTime?: unknown }).snapshotTime };
  },
  startTransaction(session, args, state) {
    state.startedTransaction = true;
    session.startTransaction(concernOptions(args.rest()));
    return {};
  },
  async withTransaction(session, args, state) {
    const callback = args.required('callback') as OperationDescription[];
    const options = concernOptions(args.rest()) as TransactionOptions;
    state.startedTransaction = true;
    // A callback operation's error reaches withTransaction even when the operation expected
    // it (spec: withTransaction), so both levels can assert on it.
    await session.withTransaction(async () => {
      for (const operation of callback) {
        const { error } = await runOperation(operation, state);
        if (error !== undefined) throw error as Error;
      }
    }, options);
    return {};
  },
};
