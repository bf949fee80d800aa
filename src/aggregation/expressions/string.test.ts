/**
 * String operators: byte vs code point semantics (UTF-8 as the server stores strings),
 * coerceToString of non-strings, ASCII-only case mapping, and the error codes of
 * expression.cpp. "é" is 2 bytes, "€" 3, "😀" 4 (a surrogate pair in JS).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BSONRegExp } from 'bson';
import type { BsonValue } from '../../bson/types.js';
import { dbl, errorOf, evaluate, int, long, typed } from '../test-support.js';

function check(cases: [BsonValue, string][]): void {
  for (const [expression, expected] of cases) {
    void test(`${JSON.stringify(expression)} -> ${expected}`, () => {
      assert.equal(typed(evaluate(expression)), expected);
    });
  }
}

void describe('$concat, case and comparison', () => {
  check([
    [{ $concat: ['a', 'b', 'c'] }, 'string:abc'],
    [{ $concat: [] }, 'string:'],
    [{ $concat: ['a', null] }, 'null'],
    [{ $concat: ['a', '$missing'] }, 'null'],
    [{ $toUpper: 'aBcé' }, 'string:ABCé'],
    [{ $toLower: 'ÀBC' }, 'string:Àbc'],
    [{ $toUpper: null }, 'string:'],
    [{ $toUpper: int(12) }, 'string:12'],
    [{ $toLower: dbl(1.5) }, 'string:1.5'],
    [{ $toLower: dbl(1234567.0) }, 'string:1.23457e+06'],
    [{ $strcasecmp: ['ABC', 'abc'] }, 'int:0'],
    [{ $strcasecmp: ['a', 'B'] }, 'int:-1'],
    [{ $strcasecmp: [null, ''] }, 'int:0'],
  ]);
  void test('errors', () => {
    assert.deepEqual(errorOf({ $concat: ['a', int(1)] }), {
      code: 16702,
      message: '$concat only supports strings, not int',
    });
    assert.deepEqual(errorOf({ $toUpper: [[]] }), {
      code: 16007,
      message: "can't convert from BSON type array to String",
    });
  });
});

void describe('$split, $trim, $replaceOne, $replaceAll', () => {
  check([
    [{ $split: ['a,b,,c', ','] }, '[string:a, string:b, string:, string:c]'],
    [{ $split: ['abc', 'x'] }, '[string:abc]'],
    [{ $split: [null, ','] }, 'null'],
    [{ $trim: { input: '  \u2002hi\u00a0 ' } }, 'string:hi'],
    [{ $trim: { input: '\0hi\0' } }, 'string:hi'],
    [{ $ltrim: { input: 'xxhixx', chars: 'x' } }, 'string:hixx'],
    [{ $rtrim: { input: 'xxhixx', chars: 'xy' } }, 'string:xxhi'],
    [{ $trim: { input: 'éaé', chars: 'é' } }, 'string:a'],
    [{ $trim: { input: null } }, 'null'],
    [{ $trim: { input: 'a', chars: null } }, 'null'],
    [{ $replaceOne: { input: 'a.b.c', find: '.', replacement: '-' } }, 'string:a-b.c'],
    [{ $replaceAll: { input: 'a.b.c', find: '.', replacement: '-' } }, 'string:a-b-c'],
    [{ $replaceAll: { input: 'ab', find: '', replacement: '-' } }, 'string:-a-b-'],
    [{ $replaceOne: { input: 'ab', find: '', replacement: '-' } }, 'string:-ab'],
    [{ $replaceAll: { input: null, find: 'a', replacement: 'b' } }, 'null'],
  ]);
  void test('errors', () => {
    assert.equal(errorOf({ $split: [int(1), ','] }).code, 40085);
    assert.equal(errorOf({ $split: ['a', int(1)] }).code, 40086);
    assert.deepEqual(errorOf({ $split: ['a', ''] }), {
      code: 40087,
      message: '$split requires a non-empty separator',
    });
    assert.equal(errorOf({ $trim: 'x' }).code, 50696);
    assert.deepEqual(errorOf({ $trim: { input: int(1) } }), {
      code: 50699,
      message: '$trim requires its input to be a string, got 1 (of type int) instead.',
    });
    assert.equal(errorOf({ $trim: { chars: 'x' } }).code, 50695);
    assert.equal(errorOf({ $trim: { input: 'x', foo: int(1) } }).code, 50694);
    // Type errors win over nulls in any argument (ExpressionReplaceBase::evaluate).
    assert.deepEqual(errorOf({ $replaceAll: { input: null, find: int(1), replacement: 'b' } }), {
      code: 51745,
      message: "$replaceAll requires that 'find' be a string, found: 1",
    });
    assert.equal(errorOf({ $replaceOne: { input: 'a', find: 'a' } }).code, 51747);
  });
});

void describe('bytes and code points', () => {
  check([
    [{ $strLenBytes: 'é€😀' }, 'int:9'],
    [{ $strLenCP: 'é€😀' }, 'int:3'],
    [{ $substrBytes: ['é€😀', int(2), int(3)] }, 'string:€'],
    [{ $substr: ['hello', int(1), int(-1)] }, 'string:ello'],
    [{ $substrBytes: ['abc', int(5), int(1)] }, 'string:'],
    [{ $substrBytes: [int(12345), int(1), int(2)] }, 'string:23'],
    [{ $substrCP: ['é€😀x', int(1), int(2)] }, 'string:€😀'],
    [{ $substrCP: ['abc', int(10), int(1)] }, 'string:'],
    [{ $indexOfBytes: ['é€x', 'x'] }, 'int:5'],
    [{ $indexOfCP: ['é€x', 'x'] }, 'int:2'],
    [{ $indexOfCP: ['abcabc', 'b', int(2)] }, 'int:4'],
    [{ $indexOfCP: ['abcabc', 'b', int(2), int(4)] }, 'int:-1'],
    [{ $indexOfBytes: ['abc', '', int(3)] }, 'int:3'],
    [{ $indexOfCP: ['abc', '', int(3)] }, 'int:-1'],
    [{ $indexOfCP: ['', ''] }, 'int:0'],
    [{ $indexOfBytes: [null, 'a'] }, 'null'],
  ]);
  void test('byte ranges must not split a character', () => {
    assert.deepEqual(errorOf({ $substrBytes: ['é', int(1), int(1)] }), {
      code: 28656,
      message: '$substrBytes:  Invalid range, starting index is a UTF-8 continuation byte.',
    });
    assert.equal(errorOf({ $substrBytes: ['éa', int(0), int(1)] }).code, 28657);
    assert.equal(errorOf({ $substrBytes: ['a', int(-1), int(1)] }).code, 50752);
    assert.equal(errorOf({ $substrBytes: ['a', 'x', int(1)] }).code, 16034);
    assert.equal(errorOf({ $substrBytes: ['a', int(0), 'x'] }).code, 16035);
  });
  void test('code point argument errors', () => {
    assert.equal(errorOf({ $substrCP: ['a', dbl(0.5), int(1)] }).code, 34451);
    assert.equal(errorOf({ $substrCP: ['a', int(0), int(-1)] }).code, 34454);
    assert.equal(errorOf({ $substrCP: ['a', int(-1), int(1)] }).code, 34455);
    assert.deepEqual(errorOf({ $strLenCP: int(1) }), {
      code: 34471,
      message: '$strLenCP requires a string argument, found: int',
    });
    assert.deepEqual(errorOf({ $strLenBytes: '$missing' }), {
      code: 34473,
      message: '$strLenBytes requires a string argument, found: missing',
    });
    assert.deepEqual(errorOf({ $indexOfCP: ['a', 'a', int(-1)] }), {
      code: 40097,
      message: '$indexOfCP requires a nonnegative starting index, found: -1',
    });
    assert.deepEqual(errorOf({ $indexOfBytes: ['a', 'a', dbl(1.5)] }), {
      code: 40096,
      message:
        '$indexOfBytesrequires an integral starting index, found a value of type: double, with value: 1.5',
    });
    assert.equal(errorOf({ $indexOfBytes: ['a', null] }).code, 40092);
    assert.equal(errorOf({ $indexOfCP: [long(1), 'a'] }).code, 40093);
  });
});

void describe('regular expressions', () => {
  check([
    [{ $regexMatch: { input: 'Hello', regex: '^h', options: 'i' } }, 'bool:true'],
    [{ $regexMatch: { input: 'Hello', regex: new BSONRegExp('^h') } }, 'bool:false'],
    [{ $regexMatch: { input: null, regex: 'a' } }, 'bool:false'],
    [
      { $regexFind: { input: 'xaby', regex: '(a)(b)(c)?' } },
      '{match: string:ab, idx: int:1, captures: [string:a, string:b, null]}',
    ],
    [
      { $regexFind: { input: 'é€ab', regex: 'ab' } },
      '{match: string:ab, idx: int:2, captures: []}',
    ],
    [{ $regexFind: { input: 'x', regex: 'y' } }, 'null'],
    [
      { $regexFindAll: { input: 'a1b22', regex: '\\d+' } },
      '[{match: string:1, idx: int:1, captures: []}, {match: string:22, idx: int:3, captures: []}]',
    ],
    [
      { $regexFindAll: { input: 'ab', regex: '' } },
      '[{match: string:, idx: int:0, captures: []}, {match: string:, idx: int:1, captures: []}]',
    ],
    [{ $regexFindAll: { input: null, regex: 'a' } }, '[]'],
    [{ $regexMatch: { input: 'a b', regex: 'a # comment\n b', options: 'x' } }, 'bool:false'],
    [{ $regexMatch: { input: 'ab', regex: 'a b # comment', options: 'x' } }, 'bool:true'],
    [{ $regexMatch: { input: 'a\nb', regex: 'a.b', options: 's' } }, 'bool:true'],
    [{ $regexMatch: { input: 'x\nab', regex: '^ab', options: 'm' } }, 'bool:true'],
  ]);
  void test('errors', () => {
    assert.equal(errorOf({ $regexMatch: { input: int(1), regex: 'a' } }).code, 51104);
    assert.equal(errorOf({ $regexMatch: { input: 'a', regex: int(1) } }).code, 51105);
    assert.equal(errorOf({ $regexMatch: { input: 'a', regex: 'a', options: int(1) } }).code, 51106);
    assert.equal(
      errorOf({ $regexMatch: { input: 'a', regex: new BSONRegExp('a', 'i'), options: 'm' } }).code,
      51107,
    );
    assert.equal(errorOf({ $regexMatch: { input: 'a', regex: '(' } }).code, 51111);
    assert.equal(errorOf({ $regexMatch: { input: 'a', regex: 'a', options: 'q' } }).code, 51108);
    assert.equal(errorOf({ $regexMatch: { regex: 'a' } }).code, 31022);
    assert.equal(errorOf({ $regexMatch: { input: 'a' } }).code, 31023);
    assert.equal(errorOf({ $regexMatch: { input: 'a', regex: 'a', x: int(1) } }).code, 31024);
    assert.equal(errorOf({ $regexMatch: 'a' }).code, 51103);
  });
});
