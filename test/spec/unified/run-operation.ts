/**
 * Executing an Operation: find the handler for the target entity's kind, run it, then
 * check expectError / expectResult and save the result. An error that shows the server
 * lacks a command turns the whole test into a skip instead of a pass or a failure.
 */
import { Arguments } from './arguments.js';
import { bucketOperations } from './bucket-operations.js';
import { clientOperations } from './client-operations.js';
import { collectionOperations } from './collection-operations.js';
import { cursorOperations } from './cursor-operations.js';
import { databaseOperations } from './database-operations.js';
import type { EntityKind } from './entities.js';
import { assertExpectedError } from './expect-error.js';
import { assertMatches, MatchError } from './match.js';
import { runnerOperations } from './runner-operations.js';
import type { ExpectedError, OperationDescription } from './schema.js';
import { sessionOperations } from './session-operations.js';
import { errorCode, SkipTest } from './skip-test.js';
import type { OperationHandler, OperationResult, TestState } from './test-state.js';
import { RunnerError } from './runner-error.js';

const illegalOperation = 20;

const handlersByKind: Partial<Record<EntityKind, Record<string, OperationHandler<never>>>> = {
  client: clientOperations,
  database: databaseOperations,
  collection: collectionOperations,
  session: sessionOperations,
  cursor: cursorOperations,
  changeStream: cursorOperations,
  bucket: bucketOperations,
};

/** Did the test itself ask for this error code? Then it is an answer, not a missing feature. */
function expectsCode(
  expected: ExpectedError | undefined,
  code: number,
  codeName: unknown,
): boolean {
  if (expected === undefined) return false;
  const wantedCode = expected.errorCode === undefined ? undefined : Number(expected.errorCode);
  const wantedName = expected.errorCodeName?.toLowerCase();
  return (
    wantedCode === code || (typeof codeName === 'string' && wantedName === codeName.toLowerCase())
  );
}

/** The skip an operation error calls for: a command or feature the server lacks, or transactions on a standalone. */
export function skipForError(
  error: unknown,
  state: TestState,
  expected?: ExpectedError,
): SkipTest | undefined {
  if (error instanceof SkipTest) return error;
  const code = errorCode(error);
  if (code === undefined || expectsCode(expected, code, (error as { codeName?: unknown }).codeName))
    return undefined;
  const message = error instanceof Error ? error.message : '';
  if (code === illegalOperation && /transaction/i.test(message)) {
    return new SkipTest(
      `transactions need a replica set (server answered IllegalOperation: ${message})`,
    );
  }
  return state.environment.unsupported.skipFor(error);
}

async function execute(
  operation: OperationDescription,
  state: TestState,
): Promise<OperationResult> {
  const args = new Arguments(operation.arguments, state.entities);
  if (operation.object === 'testRunner') {
    const handler = runnerOperations[operation.name];
    if (handler === undefined)
      throw new RunnerError(`runner lacks testRunner operation ${operation.name}`);
    return handler(undefined, args, state);
  }
  const entity = state.entities.get(operation.object);
  const handler = handlersByKind[entity.kind]?.[operation.name] as
    OperationHandler<unknown> | undefined;
  if (handler === undefined)
    throw new RunnerError(`runner lacks ${entity.kind} operation ${operation.name}`);
  return handler(entity.value, args, state);
}

/**
 * Runs one operation and checks its expectations. Returns the error it raised (after
 * checking it) so withTransaction can pass it on; throws on a failed expectation.
 */
export async function runOperation(
  operation: OperationDescription,
  state: TestState,
): Promise<{ error?: unknown }> {
  let result: OperationResult;
  try {
    result = await execute(operation, state);
  } catch (error) {
    // Runner faults and failed expectations (from a withTransaction callback) are not the
    // operation's error: no expectError may absorb them.
    if (error instanceof RunnerError || error instanceof MatchError) throw error;
    const skip = skipForError(error, state, operation.expectError);
    if (skip !== undefined) throw skip;
    if (operation.ignoreResultAndError === true) return { error };
    if (operation.expectError === undefined) throw error;
    assertExpectedError(operation.expectError, error, state.entities);
    return { error };
  }
  if (operation.ignoreResultAndError === true) return {};
  if (operation.expectError !== undefined) {
    throw new MatchError(
      `${operation.name} succeeded, but an error was expected: ${JSON.stringify(operation.expectError)}`,
    );
  }
  if (operation.expectResult !== undefined) {
    assertMatches(operation.expectResult, result.value, state.entities, {
      rootElements: result.rootElements === true,
    });
  }
  if (operation.saveResultAsEntity !== undefined) {
    state.entities.set(
      operation.saveResultAsEntity,
      result.entity ?? { kind: 'bson', value: result.value },
    );
  }
  return {};
}
