// PCRE2 semantics (pcre2pattern(3)) that differ from ECMAScript and that the translation must
// preserve; MongoDB compiles with UTF and without UCP (src/mongo/util/pcre_util.cpp).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MongoError } from '../../errors/mongo-error.js';
import { compilePcre, validateRegexOptions } from './pcre.js';

function check(pattern: string, options: string, subject: string, expected: boolean): void {
  assert.equal(
    compilePcre(pattern, options).test(subject),
    expected,
    `/${pattern}/${options} on ${JSON.stringify(subject)}`,
  );
}

describe('anchors and dot', () => {
  test('$ also matches before a final newline, and only there', () => {
    check('^abc$', '', 'abc\n', true);
    check('^abc$', '', 'abc\nx', false);
    check('abc\\Z', '', 'abc\n', true);
    check('abc\\z', '', 'abc\n', false);
    check('\\Aabc', '', 'xabc', false);
  });
  test('multiline breaks lines at \\n only', () => {
    check('^b', 'm', 'a\nb', true);
    check('^b', 'm', 'a\rb', false);
    check('a$', 'm', 'a\nb', true);
  });
  test('dot excludes only \\n, and everything with s', () => {
    check('a.c', '', 'a\rc', true);
    check('a.c', '', 'a\u2028c', true);
    check('a.c', '', 'a\nc', false);
    check('a.c', 's', 'a\nc', true);
  });
  test('dot matches one code point', () => {
    check('^.$', '', '\u{1F600}', true);
  });
});

describe('escapes and classes', () => {
  test('\\s is ASCII whitespace only', () => {
    check('\\s', '', '\u00a0', false);
    check('\\s', '', '\x0b', true);
    check('[\\s]', '', '\u2003', false);
  });
  test('horizontal and vertical whitespace classes', () => {
    check('\\h', '', '\u00a0', true);
    check('\\v', '', '\u2028', true);
    check('\\R', '', '\r\n', true);
  });
  test('escaped punctuation and stray braces are literals', () => {
    check('\\-\\#\\:', '', '-#:', true);
    check('{abc}', '', '{abc}', true);
    check('a{,2}', '', 'a{,2}', true);
    check('a]', '', 'a]', true);
    check('[]a]', '', ']', true);
    check('[\\w-]', '', '-', true);
  });
  test('quoting', () => {
    check('\\Qa.b*\\E', '', 'a.b*', true);
    check('\\Qa.b\\E', '', 'axb', false);
  });
  test('numeric escapes', () => {
    check('\\x41\\x{263a}\\101\\0', '', 'A\u263aA\0', true);
    check('\\cA', '', '\x01', true);
    check('\\e', '', '\x1b', true);
  });
  test('POSIX classes', () => {
    check('^[[:alpha:][:digit:]]+$', '', 'ab12', true);
    check('[[:punct:]]', '', 'a', false);
  });
  test('Unicode properties', () => {
    check('\\p{Greek}', '', '\u03b1', true);
    check('\\p{Lu}', '', 'A', true);
    check('\\pL', '', 'a', true);
    check('\\P{L}', '', 'a', false);
  });
  test('caseless matching is Unicode-aware', () => {
    check('caf\u00e9', 'i', 'CAF\u00c9', true);
  });
});

describe('groups and references', () => {
  test('named groups in every PCRE spelling', () => {
    check('(?P<n>a)(?P=n)', '', 'aa', true);
    check("(?'n'a)\\k{n}", '', 'aa', true);
    check('(?<n>a)\\k<n>', '', 'aa', true);
  });
  test('numbered references', () => {
    check('(a)\\1', '', 'aa', true);
    check('(a)\\g1', '', 'aa', true);
    check('(a)(b)\\g{-1}', '', 'abb', true);
  });
  test('comments and leading options', () => {
    check('a(?#note)b', '', 'ab', true);
    check('(?i)AB', '', 'ab', true);
    check('(?s)a.b', '', 'a\nb', true);
    check('(?i)a(?i)b', '', 'AB', true);
  });
});

describe('extended mode', () => {
  test('ignores whitespace and comments outside classes', () => {
    check('a b # comment\n c', 'x', 'abc', true);
    check('a\\ b', 'x', 'a b', true);
    check('a\\#b', 'x', 'a#b', true);
    check('[ ]', 'x', ' ', true);
  });
});

describe('rejections', () => {
  const unsupported = [
    'a++',
    'a*+',
    '(?>a)',
    '(?R)',
    '(?1)',
    '(?|a)',
    '(?(1)a)',
    '\\G',
    '\\K',
    'a(?i)b',
    '(*UTF)a',
  ];
  for (const pattern of unsupported) {
    test(`${pattern} is rejected as invalid`, () => {
      assert.throws(
        () => compilePcre(pattern, ''),
        (error: unknown) => error instanceof MongoError && error.code === 51091,
      );
    });
  }
  test('syntax errors', () => {
    for (const pattern of ['(', '[a', '\\', 'a{2,1}', '\\1', '*']) {
      assert.throws(
        () => compilePcre(pattern, ''),
        (error: unknown) => error instanceof MongoError && error.code === 51091,
        pattern,
      );
    }
  });
  test('options other than i, m, s, u and x', () => {
    assert.doesNotThrow(() => validateRegexOptions('imsux'));
    assert.throws(
      () => validateRegexOptions('ig', '$regexMatch'),
      (error: unknown) =>
        error instanceof MongoError &&
        error.code === 51108 &&
        error.message === '$regexMatch invalid flag in regex options: g',
    );
  });
});
