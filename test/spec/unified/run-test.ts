/**
 * Executing a Test: requirements, initial data, entities, operations, then events and the
 * final collection contents; cleanup (fail points off, sessions ended, clients closed)
 * runs whatever happened, without hiding the test's own failure.
 */
import type { TestEnvironment } from './environment.js';
import { assertOutcome, loadInitialData } from './collection-data.js';
import { assertExpectedEvents } from './expect-events.js';
import { MatchError } from './match.js';
import { unmetRequirements } from './requirements.js';
import { runOperation, skipForError } from './run-operation.js';
import type { OperationDescription, SpecFile } from './schema.js';
import { SkipTest } from './skip-test.js';
import { TestState } from './test-state.js';

/** Prefixes the failing operation so a report says where in the test it failed. */
function annotate(error: unknown, index: number, operation: OperationDescription): unknown {
  if (error instanceof SkipTest) return error;
  const where = `operations[${index}] ${operation.name} on ${operation.object}`;
  if (error instanceof MatchError) return new MatchError(`${where}: ${error.message}`);
  const message = error instanceof Error ? error.message : String(error);
  return new Error(`${where} raised an unexpected error: ${message}`, { cause: error });
}

async function disableFailPoints(state: TestState): Promise<void> {
  for (const { client, name } of state.failPoints.splice(0)) {
    await client.db('admin').command({ configureFailPoint: name, mode: 'off' });
  }
}

/** Server work outside any operation (setup, outcome) may also show a missing feature. */
async function serverStep(state: TestState, step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (error) {
    throw skipForError(error, state) ?? error;
  }
}

async function runSteps(file: SpecFile, testIndex: number, state: TestState): Promise<void> {
  const testCase = file.tests[testIndex]!;
  const { environment } = state;
  if (testCase.expectLogMessages !== undefined) throw new Error('runner lacks expectLogMessages');
  await serverStep(state, () => loadInitialData(environment.internalClient, file.initialData));
  state.entities.create(file.createEntities);
  for (const [index, operation] of testCase.operations.entries()) {
    try {
      await runOperation(operation, state);
    } catch (error) {
      throw annotate(error, index, operation);
    }
  }
  for (const client of state.entities.clients()) client.stopCapturing();
  await disableFailPoints(state);
  assertExpectedEvents(testCase.expectEvents, state.entities);
  await serverStep(state, () => assertOutcome(environment.internalClient, testCase.outcome));
}

/** Runs tests[testIndex] of a freshly parsed file; throws SkipTest when it cannot run here. */
export async function runTestCase(
  file: SpecFile,
  testIndex: number,
  environment: TestEnvironment,
): Promise<void> {
  const testCase = file.tests[testIndex]!;
  const reason =
    (await unmetRequirements(file.runOnRequirements, environment)) ??
    (await unmetRequirements(testCase.runOnRequirements, environment));
  if (reason !== undefined) throw new SkipTest(reason);
  const state = new TestState(environment);
  try {
    await runSteps(file, testIndex, state);
  } finally {
    await disableFailPoints(state).catch(() => undefined);
    await state.entities.close();
    if (state.startedTransaction) await environment.killAllSessions().catch(() => undefined);
  }
}
