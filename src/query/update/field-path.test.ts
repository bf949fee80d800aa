/**
 * Path parsing helpers: FieldRef splitting, array indexes as str::parseUnsignedBase10Integer
 * reads them, array-filter parts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  arrayFilterIdentifier,
  isArrayFilterPart,
  parseArrayIndex,
  splitPath,
} from './field-path.js';

void describe('parseArrayIndex', () => {
  const cases: [string, number | undefined][] = [
    ['0', 0],
    ['7', 7],
    ['01', 1],
    ['4294967295', 4294967295],
    ['4294967296', undefined],
    ['-1', undefined],
    ['+1', undefined],
    ['1a', undefined],
    ['', undefined],
    [' 1', undefined],
  ];
  for (const [part, expected] of cases) {
    void test(JSON.stringify(part), () => assert.equal(parseArrayIndex(part), expected));
  }

  void test('property: canonical decimal strings of 32-bit values parse back', () => {
    fc.assert(fc.property(fc.nat({ max: 0xffffffff }), (n) => parseArrayIndex(String(n)) === n));
  });
});

void describe('path parts', () => {
  void test('splitPath keeps empty parts and has none for ""', () => {
    assert.deepEqual(splitPath(''), []);
    assert.deepEqual(splitPath('a..b'), ['a', '', 'b']);
  });

  void test('array filter parts', () => {
    assert.equal(isArrayFilterPart('$[]'), true);
    assert.equal(isArrayFilterPart('$[x1]'), true);
    assert.equal(isArrayFilterPart('$['), false);
    assert.equal(isArrayFilterPart('$'), false);
    assert.equal(arrayFilterIdentifier('$[]'), '');
    assert.equal(arrayFilterIdentifier('$[elem]'), 'elem');
  });
});
