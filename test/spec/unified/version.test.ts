/** Version String rules (unified-test-format.md §Version String, §Test Runner Support). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareVersions, isSchemaVersionSupported } from './version.js';

test('components compare numerically and missing ones are zero', () => {
  // The spec's example: "4.0.10" is greater than "4.0.9" and "3.6" and less than "4.2.0".
  assert.ok(compareVersions('4.0.10', '4.0.9') > 0);
  assert.ok(compareVersions('4.0.10', '3.6') > 0);
  assert.ok(compareVersions('4.0.10', '4.2.0') < 0);
  assert.equal(compareVersions('7', '7.0.0'), 0);
  assert.equal(compareVersions([7, 0, 14], '7.0.14'), 0);
});

test('pre-release suffixes are discarded', () => {
  assert.equal(compareVersions('4.9.0-alpha4-271-g7d5cf02', '4.9.0'), 0);
});

test('files up to the supported 1.x schema are accepted, others refused', () => {
  assert.equal(isSchemaVersionSupported('1.0'), true);
  assert.equal(isSchemaVersionSupported('1.28'), true);
  assert.equal(isSchemaVersionSupported('1.29'), false);
  assert.equal(isSchemaVersionSupported('2.0'), false);
  assert.equal(isSchemaVersionSupported('0.9'), false);
});
