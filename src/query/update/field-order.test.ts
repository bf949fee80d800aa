/**
 * Field order. The update operators reference ("Behavior"): "Starting in MongoDB 5.0,
 * update operators process document fields with string-based names in lexicographic
 * order. Fields with numeric names are processed in numeric order." New fields are
 * appended as they are created, so the order written in the update does not matter;
 * existing fields keep their place; _id stays first.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compareStrings } from '../../bson/compare.js';
import { comparePathParts } from './field-path.js';
import { bsonDoc, runUpdate, text } from './update-test-helpers.js';

function keysAfter(doc: Record<string, unknown>, update: Record<string, unknown>): string[] {
  return Object.keys(runUpdate({ doc, update }).doc);
}

void describe('order of fields an update creates', () => {
  void test('one operator: lexicographic, not as written', () => {
    assert.deepEqual(keysAfter({ _id: 1 }, { $set: { b: 1, a: 1, c: 1 } }), ['_id', 'a', 'b', 'c']);
  });

  void test('several operators interleave by path', () => {
    const update = { $set: { z: 1 }, $inc: { y: 1 }, $push: { x: 1 }, $min: { w: 1 } };
    assert.deepEqual(keysAfter({ _id: 1 }, update), ['_id', 'w', 'x', 'y', 'z']);
  });

  void test('existing fields keep their position', () => {
    assert.deepEqual(keysAfter({ _id: 1, b: 1, a: 1 }, { $set: { a: 2, c: 3 } }), [
      '_id',
      'b',
      'a',
      'c',
    ]);
  });

  void test('created parents follow the order of their paths', () => {
    const result = runUpdate({
      doc: { _id: 1 },
      update: { $set: { 'b.y': 1, 'a.z': 1, 'b.x': 1 } },
    });
    assert.equal(text(result.doc), text(bsonDoc({ _id: 1, a: { z: 1 }, b: { x: 1, y: 1 } })));
  });

  void test('sibling paths below one missing parent create it once', () => {
    const update = {
      $set: { 'x.y.b': 2, 'x.z': 3, 'x.y.a': 1 },
      $inc: { 'x.w': 1 },
      $push: { 'x.y.c': 1 },
    };
    const result = runUpdate({ doc: { _id: 1 }, update });
    const expected = { _id: 1, x: { w: 1, y: { a: 1, b: 2, c: [1] }, z: 3 } };
    assert.equal(text(result.doc), text(bsonDoc(expected)));
  });

  void test('upper case sorts before lower case (byte order)', () => {
    assert.deepEqual(keysAfter({ _id: 1 }, { $set: { b: 1, B: 1, a: 1 } }), ['_id', 'B', 'a', 'b']);
  });

  void test('_id stays first even when an upsert sets it last', () => {
    const result = runUpdate({
      doc: { a: 1 },
      update: { $set: { _id: 5 } },
      context: { isInsert: true },
    });
    assert.deepEqual(Object.keys(result.doc), ['_id', 'a']);
  });
});

void describe('comparePathParts (pathsupport::cmpPathsAndArrayIndexes)', () => {
  void test('numeric names by value', () => {
    assert.deepEqual(['10', '9', '100', '2'].sort(comparePathParts), ['2', '9', '10', '100']);
  });

  void test('zero-padded numbers compare as strings', () => {
    assert.deepEqual(['1', '01', '001'].sort(comparePathParts), ['001', '01', '1']);
  });

  void test('numbers of equal length compare digit by digit; names with digits by bytes', () => {
    assert.ok(comparePathParts('19', '91') < 0);
    assert.ok(comparePathParts('1a', '1b') < 0);
    // Equal lengths starting with digits: the first differing digit decides, '1' < '9'.
    assert.ok(comparePathParts('9a', '10') > 0);
  });

  void test('property: canonical non-negative integers order by value', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        (a, b) => {
          const expected = a < b ? -1 : a > b ? 1 : 0;
          return Math.sign(comparePathParts(String(a), String(b))) === expected;
        },
      ),
    );
  });

  void test('property: names not starting with a digit order by bytes', () => {
    const name = fc.string({ minLength: 1 }).filter((s) => !/^[0-9]/.test(s));
    fc.assert(
      fc.property(name, name, (a, b) => Math.sign(comparePathParts(a, b)) === compareStrings(a, b)),
    );
  });
});
