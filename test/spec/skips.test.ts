/** The skip tables stay honest: every entry names a real file or test, bugs say BUG. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { knownFailures, skips } from './skips.js';
import { missingSpecReason, specDirectory, specDirectoryExists } from './unified/spec-files.js';

const directory = specDirectory();
const missing = specDirectoryExists(directory) ? false : missingSpecReason(directory);

function staleEntries(table: Readonly<Record<string, string>>): string[] {
  return Object.keys(table).filter((key) => {
    const [path, description] = key.split('#', 2) as [string, string | undefined];
    const file = join(directory, path);
    if (!existsSync(file)) return true;
    if (description === undefined) return false;
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { tests: { description: string }[] };
    return !parsed.tests.some((testCase) => testCase.description === description);
  });
}

test('every skip names an existing spec file or test', { skip: missing }, () => {
  assert.deepEqual(staleEntries(skips), []);
});

test('every known failure names an existing spec file or test', { skip: missing }, () => {
  assert.deepEqual(staleEntries(knownFailures), []);
});

test('known failures are Shoal bugs and say so', () => {
  for (const [key, reason] of Object.entries(knownFailures)) assert.match(reason, /^BUG: /, key);
});

test('no test is both skipped and a known failure', () => {
  assert.deepEqual(
    Object.keys(skips).filter((key) => key in knownFailures),
    [],
  );
});
