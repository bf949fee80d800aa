/**
 * node:test glue: one describe per spec file and one test per case, so the runner's summary
 * counts every case. One server serves the whole suite. Skips are reported with their
 * reason; known Shoal bugs run as todo so they stay visible without failing the run.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { knownFailure, plannedSkip } from '../skips.js';
import { TestEnvironment } from './environment.js';
import { runTestCase } from './run-test.js';
import { SkipTest } from './skip-test.js';
import {
  listSpecFiles,
  missingSpecReason,
  parseSpecFile,
  readSpecText,
  specDirectory,
  specDirectoryExists,
} from './spec-files.js';
import { isSchemaVersionSupported } from './version.js';

export interface SuiteDefinition {
  /** Shown in the report, e.g. "crud". */
  name: string;
  /** Folder of JSON files, relative to the spec directory, e.g. "crud/unified". */
  folder: string;
}

const testTimeoutMs = 60_000;

function defineFile(
  directory: string,
  relativePath: string,
  environment: () => TestEnvironment,
): void {
  const text = readSpecText(join(directory, relativePath));
  const file = parseSpecFile(text);
  describe(relativePath, () => {
    if (!isSchemaVersionSupported(file.schemaVersion)) {
      // Spec: a runner MUST raise an error for a file whose schemaVersion it does not support.
      test(`schemaVersion ${file.schemaVersion}`, () =>
        assert.fail(`unsupported schemaVersion ${file.schemaVersion}`));
      return;
    }
    file.tests.forEach((testCase, index) => {
      const skip =
        plannedSkip(relativePath, testCase.description) ??
        (testCase.skipReason === undefined ? undefined : `skipReason: ${testCase.skipReason}`);
      const todo = knownFailure(relativePath, testCase.description);
      test(
        testCase.description,
        { skip: skip ?? false, todo: todo ?? false, timeout: testTimeoutMs },
        async (context) => {
          try {
            await runTestCase(parseSpecFile(text), index, environment());
          } catch (error) {
            if (!(error instanceof SkipTest)) throw error;
            context.skip(error.reason);
            return;
          }
          if (todo !== undefined)
            context.diagnostic(`known failure passed; remove it from knownFailures: ${todo}`);
        },
      );
    });
  });
}

export function defineSpecSuite({ name, folder }: SuiteDefinition): void {
  const directory = specDirectory();
  if (!specDirectoryExists(directory)) {
    test(`${name} spec tests`, { skip: missingSpecReason(directory) }, () => undefined);
    return;
  }
  const files = listSpecFiles(join(directory, folder));
  describe(`spec ${name}`, () => {
    let environment: TestEnvironment | undefined;
    before(async () => {
      environment = await TestEnvironment.start();
    });
    after(async () => {
      await environment?.close();
    });
    test(`${folder} holds spec files`, () =>
      assert.ok(files.length > 0, `no .json files in ${join(directory, folder)}`));
    const current = (): TestEnvironment => {
      assert.ok(environment !== undefined, 'the spec server did not start');
      return environment;
    };
    for (const fileName of files) defineFile(directory, `${folder}/${fileName}`, current);
  });
}
