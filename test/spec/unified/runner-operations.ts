/**
 * Special Test Operations (object: testRunner): fail points, assertions on the server's
 * catalog through the internal client, session and event assertions.
 */
import type { ClientSession, Document, MongoClient } from 'mongodb';
import { sleep } from '../../../src/platform/timers.js';
import type { Arguments } from './arguments.js';
import { describeValue } from './bson-values.js';
import { assertEvent } from './expect-events.js';
import { MatchError } from './match.js';
import { errorCode, SkipTest } from './skip-test.js';
import type { OperationHandler, TestState } from './test-state.js';

type RunnerHandler = OperationHandler<undefined>;

const commandNotFound = 59;
const namespaceNotFound = 26;
const waitForEventTimeoutMs = 10_000;

function check(condition: boolean, message: string): void {
  if (!condition) throw new MatchError(message);
}

/** Fail points go through the test's own client, and are switched off after the test. */
async function configureFailPoint(
  client: MongoClient,
  failPoint: Document,
  state: TestState,
): Promise<void> {
  try {
    await client.db('admin').command(failPoint);
  } catch (error) {
    if (errorCode(error) === commandNotFound)
      throw new SkipTest('needs configureFailPoint (failCommand)');
    throw error;
  }
  state.failPoints.push({ client, name: String(failPoint['configureFailPoint']) });
}

async function collectionNames(
  state: TestState,
  args: Arguments,
): Promise<{ names: string[]; name: string }> {
  const database = state.environment.internalClient.db(args.string('databaseName'));
  const collections = await database.listCollections({}, { nameOnly: true }).toArray();
  return {
    names: collections.map((collection) => collection.name),
    name: args.string('collectionName'),
  };
}

async function indexNames(
  state: TestState,
  args: Arguments,
): Promise<{ names: string[]; name: string }> {
  const database = state.environment.internalClient.db(args.string('databaseName'));
  const collection = database.collection(args.string('collectionName'));
  const name = args.string('indexName');
  try {
    const indexes = await collection.listIndexes().toArray();
    return { names: indexes.map((index) => String(index['name'])), name };
  } catch (error) {
    if (errorCode(error) === namespaceNotFound) return { names: [], name };
    throw error;
  }
}

function session(state: TestState, args: Arguments): ClientSession {
  return state.entities.of('session', args.string('session')).value;
}

function lastTwoLsids(state: TestState, args: Arguments): [unknown, unknown] {
  const client = state.entities.of('client', args.string('client')).value;
  const started = client
    .eventsOfType('command')
    .filter((event) => event.name === 'commandStartedEvent');
  check(started.length >= 2, `fewer than two commandStartedEvents observed (${started.length})`);
  const lsids = started
    .slice(-2)
    .map((event) => (event.event['command'] as Document)['lsid'] as Document | undefined);
  check(lsids[0] !== undefined && lsids[1] !== undefined, 'a command has no lsid');
  return [describeValue(lsids[0]), describeValue(lsids[1])];
}

/** The driver's transaction states, by the names the format uses. */
const transactionStates: Record<string, string> = {
  none: 'NO_TRANSACTION',
  starting: 'STARTING_TRANSACTION',
  in_progress: 'TRANSACTION_IN_PROGRESS',
  committed: 'TRANSACTION_COMMITTED',
  aborted: 'TRANSACTION_ABORTED',
};

function countMatchingEvents(state: TestState, clientName: string, expected: Document): number {
  const client = state.entities.of('client', clientName).value;
  return client.events.filter((event) => {
    try {
      assertEvent(expected, event, state.entities, 'event');
      return true;
    } catch {
      return false;
    }
  }).length;
}

export const runnerOperations: Record<string, RunnerHandler> = {
  async failPoint(_target, args, state) {
    const client = state.entities.of('client', args.string('client')).value.client;
    await configureFailPoint(client, args.document('failPoint'), state);
    return {};
  },
  async targetedFailPoint(_target, args, state) {
    // Only mongos pins sessions; on other topologies the session's client reaches the one server.
    const entity = state.entities.of('session', args.string('session'));
    await configureFailPoint(entity.client.client, args.document('failPoint'), state);
    return {};
  },
  async assertCollectionExists(_target, args, state) {
    const { names, name } = await collectionNames(state, args);
    check(names.includes(name), `collection ${name} does not exist (have ${names.join(', ')})`);
    return {};
  },
  async assertCollectionNotExists(_target, args, state) {
    const { names, name } = await collectionNames(state, args);
    check(!names.includes(name), `collection ${name} exists`);
    return {};
  },
  async assertIndexExists(_target, args, state) {
    const { names, name } = await indexNames(state, args);
    check(names.includes(name), `index ${name} does not exist (have ${names.join(', ')})`);
    return {};
  },
  async assertIndexNotExists(_target, args, state) {
    const { names, name } = await indexNames(state, args);
    check(!names.includes(name), `index ${name} exists`);
    return {};
  },
  assertSessionTransactionState(_target, args, state) {
    const actual = (session(state, args) as unknown as { transaction: { state: string } })
      .transaction.state;
    const wanted = transactionStates[args.string('state')];
    check(actual === wanted, `expected transaction state ${wanted}, got ${actual}`);
    return {};
  },
  assertSessionPinned(_target, args, state) {
    check(session(state, args).isPinned, 'session is not pinned');
    return {};
  },
  assertSessionUnpinned(_target, args, state) {
    check(!session(state, args).isPinned, 'session is pinned');
    return {};
  },
  assertSessionDirty(_target, args, state) {
    check(session(state, args).serverSession?.isDirty === true, 'session is not dirty');
    return {};
  },
  assertSessionNotDirty(_target, args, state) {
    check(session(state, args).serverSession?.isDirty !== true, 'session is dirty');
    return {};
  },
  assertSameLsidOnLastTwoCommands(_target, args, state) {
    const [last, previous] = lastTwoLsids(state, args);
    check(last === previous, `lsids differ: ${String(previous)} then ${String(last)}`);
    return {};
  },
  assertDifferentLsidOnLastTwoCommands(_target, args, state) {
    const [last, previous] = lastTwoLsids(state, args);
    check(last !== previous, `both commands used lsid ${String(last)}`);
    return {};
  },
  assertNumberConnectionsCheckedOut(_target, args, state) {
    const client = state.entities.of('client', args.string('client')).value;
    const wanted = args.number('connections');
    check(
      client.checkedOutConnections === wanted,
      `expected ${wanted} connections checked out, got ${client.checkedOutConnections}`,
    );
    return {};
  },
  createEntities(_target, args, state) {
    state.entities.create(args.required('entities') as Document[]);
    return {};
  },
  async wait(_target, args) {
    await sleep(args.number('ms') ?? 0);
    return {};
  },
  async waitForEvent(_target, args, state) {
    const clientName = args.string('client');
    const expected = args.document('event');
    const wanted = args.number('count') ?? 1;
    const deadline = performance.now() + waitForEventTimeoutMs;
    for (;;) {
      const count = countMatchingEvents(state, clientName, expected);
      if (count >= wanted) return {};
      check(
        performance.now() < deadline,
        `waited ${waitForEventTimeoutMs} ms for ${wanted} events, saw ${count}`,
      );
      await sleep(10);
    }
  },
  assertEventCount(_target, args, state) {
    const clientName = args.string('client');
    const expected = args.document('event');
    const wanted = args.number('count');
    const count = countMatchingEvents(state, clientName, expected);
    check(count === wanted, `expected ${wanted} matching events, got ${count}`);
    return {};
  },
};
