/**
 * The runner against a live server with small files of our own: a correct file passes, and
 * each kind of wrong expectation fails with a MatchError (a runner that passes everything
 * would be worthless).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { EJSON } from 'bson';
import { TestEnvironment } from './environment.js';
import { MatchError } from './match.js';
import { runTestCase } from './run-test.js';
import { parseSpecFile } from './spec-files.js';
import { SkipTest } from './skip-test.js';

const entities = [
  { client: { id: 'client0', observeEvents: ['commandStartedEvent'] } },
  { database: { id: 'database0', client: 'client0', databaseName: 'runner-tests' } },
  { collection: { id: 'collection0', database: 'database0', collectionName: 'coll' } },
];
const initialData = [
  { collectionName: 'coll', databaseName: 'runner-tests', documents: [{ _id: 1, x: 11 }] },
];
const insertTwo = {
  name: 'insertOne',
  object: 'collection0',
  arguments: { document: { _id: 2, x: 22 } },
};

function file(testCase: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const text = EJSON.stringify({
    description: 'runner self-test',
    schemaVersion: '1.0',
    createEntities: entities,
    initialData,
    tests: [{ description: 'case', ...testCase }],
    ...extra,
  });
  return parseSpecFile(text);
}

describe('runTestCase', () => {
  let environment: TestEnvironment;
  before(async () => {
    environment = await TestEnvironment.start();
  });
  after(async () => {
    await environment.close();
  });

  const run = (testCase: Record<string, unknown>, extra?: Record<string, unknown>) =>
    runTestCase(file(testCase, extra), 0, environment);

  test('a correct file passes', async () => {
    await run({
      operations: [
        insertTwo,
        {
          name: 'find',
          object: 'collection0',
          arguments: { filter: {} },
          expectResult: [{ _id: 1 }, { _id: 2, x: 22.0 }],
        },
      ],
      expectEvents: [
        {
          client: 'client0',
          events: [
            { commandStartedEvent: { commandName: 'insert' } },
            { commandStartedEvent: { command: { find: 'coll' } } },
          ],
        },
      ],
      outcome: [
        {
          collectionName: 'coll',
          databaseName: 'runner-tests',
          documents: [
            { _id: 1, x: 11 },
            { _id: 2, x: 22 },
          ],
        },
      ],
    });
  });

  test('a wrong result fails', async () => {
    const operations = [
      { name: 'estimatedDocumentCount', object: 'collection0', arguments: {}, expectResult: 2 },
    ];
    await assert.rejects(run({ operations }), MatchError);
  });

  test('a wrong outcome fails, and nested extra fields count', async () => {
    const outcome = [
      {
        collectionName: 'coll',
        databaseName: 'runner-tests',
        documents: [{ _id: 1 }, { _id: 2, x: 22 }],
      },
    ];
    await assert.rejects(
      run({ operations: [insertTwo], outcome }),
      /outcome of runner-tests\.coll\[0\]/,
    );
  });

  test('an extra event fails unless ignoreExtraEvents', async () => {
    const events = [{ commandStartedEvent: { commandName: 'insert' } }];
    const operations = [
      insertTwo,
      { name: 'find', object: 'collection0', arguments: { filter: {} } },
    ];
    await assert.rejects(
      run({ operations, expectEvents: [{ client: 'client0', events }] }),
      /expected 1 events, got 2/,
    );
    await run({
      operations,
      expectEvents: [{ client: 'client0', events, ignoreExtraEvents: true }],
    });
  });

  test('an expected error that does not happen fails, and a wrong error fails', async () => {
    await assert.rejects(
      run({ operations: [{ ...insertTwo, expectError: { isError: true } }] }),
      /an error was expected/,
    );
    const duplicate = {
      name: 'insertOne',
      object: 'collection0',
      arguments: { document: { _id: 1 } },
    };
    await run({
      operations: [{ ...duplicate, expectError: { errorCode: 11000, isClientError: false } }],
    });
    await assert.rejects(
      run({ operations: [{ ...duplicate, expectError: { errorCode: 11001 } }] }),
      MatchError,
    );
  });

  test('unmet requirements skip the test with the reason', async () => {
    await assert.rejects(
      run({ operations: [] }, { runOnRequirements: [{ minServerVersion: '99' }] }),
      (error: Error) => {
        assert.ok(error instanceof SkipTest);
        assert.match(error.reason, /needs server >= 99/);
        return true;
      },
    );
  });
});
