import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { deserialize, serialize } from 'bson';
import { decodeOptions } from './types.js';
import type { BsonDocument } from './types.js';
import { encodeDocument } from './serialize.js';
import { inspectRawDocument, moveIdFirst } from './validate-raw.js';
import { MongoError } from '../errors/mongo-error.js';

const jsonish = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.integer(),
    fc.double(),
    fc.string(),
    fc.boolean(),
    fc.constant(null),
    fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 4 }),
  ),
}));

const documents = fc.record({
  before: fc.dictionary(
    fc.string({ maxLength: 6 }).filter((k) => k !== '_id'),
    jsonish.value,
    { maxKeys: 5 },
  ),
  id: fc.option(
    jsonish.value.filter((v) => !Array.isArray(v)),
    { nil: undefined },
  ),
});

function build({ before, id }: { before: Record<string, unknown>; id: unknown }): Buffer {
  const doc: Record<string, unknown> = { ...before };
  if (id !== undefined) doc._id = id;
  return Buffer.from(serialize(doc));
}

describe('inspectRawDocument', () => {
  test('accepts every document the bson package encodes, and finds its _id', () => {
    fc.assert(
      fc.property(documents, (input) => {
        const raw = build(input);
        const inspection = inspectRawDocument(raw, 200);
        assert.equal(inspection.id !== undefined, input.id !== undefined);
        if (inspection.id === undefined) return;
        const first = moveIdFirst(raw, inspection.id);
        // The bytes, not a decoded object: JS objects list integer-like keys first.
        assert.equal(first.toString('latin1', 5, 9), '_id\0');
        assert.deepEqual(deserialize(first, decodeOptions), deserialize(raw, decodeOptions));
      }),
    );
  });

  test('never accepts bytes the bson package cannot decode', () => {
    fc.assert(
      fc.property(
        documents,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        (input, flips) => {
          const raw = build(input);
          for (const [position, byte] of flips) raw[position % raw.length] = byte;
          let accepted = true;
          try {
            inspectRawDocument(raw, 200);
          } catch (error) {
            assert.ok(error instanceof MongoError, `only MongoErrors: ${String(error)}`);
            accepted = false;
          }
          if (accepted) assert.doesNotThrow(() => deserialize(raw, decodeOptions));
        },
      ),
      { numRuns: 3000 },
    );
  });

  test('refuses repeated _id, deep nesting and out-of-range dates with MongoDB codes', () => {
    const twice = Buffer.from(
      '1b000000105f6964000100000010_5f6964000200000000'.replace('_', ''),
      'hex',
    );
    twice.writeInt32LE(twice.length, 0);
    assert.throws(
      () => inspectRawDocument(twice, 200),
      (error: MongoError) => error.code === 2,
    );
    let deep: BsonDocument = {};
    for (let i = 0; i < 250; i++) deep = { a: deep };
    assert.throws(
      () => inspectRawDocument(encodeDocument(deep), 200),
      (error: MongoError) => error.code === 15,
    );
    assert.doesNotThrow(() => inspectRawDocument(encodeDocument(deep), 300));
    const date = Buffer.from(serialize({ d: new Date(0) }));
    date.writeBigInt64LE(2n ** 62n, 7);
    assert.throws(
      () => inspectRawDocument(date, 200),
      (error: MongoError) => error.code === 2,
    );
  });

  test('checks UTF-8 in strings and field names, short (ASCII loop) and long (isUtf8)', () => {
    // Each variant patches one byte of a valid document at the string's or name's position.
    const cases: [string, number][] = [
      ['short', 10],
      ['long', 200],
    ];
    for (const [name, length] of cases) {
      const text = 'é'.repeat(length / 2);
      const value = Buffer.from(serialize({ s: text }));
      assert.doesNotThrow(() => inspectRawDocument(value, 200), `${name} valid value`);
      const badValue = Buffer.from(value);
      badValue[value.indexOf(Buffer.from(text)) + 1] = 0x41; // a lead byte with no continuation
      assert.throws(
        () => inspectRawDocument(badValue, 200),
        (error: MongoError) => /invalid UTF-8 in string/.test(error.message),
        `${name} invalid value`,
      );
      const field = Buffer.from(serialize({ [text]: 1 }));
      assert.doesNotThrow(() => inspectRawDocument(field, 200), `${name} valid name`);
      const badField = Buffer.from(field);
      badField[field.indexOf(Buffer.from(text)) + 1] = 0xff;
      assert.throws(
        () => inspectRawDocument(badField, 200),
        (error: MongoError) => /invalid UTF-8 in field name/.test(error.message),
        `${name} invalid name`,
      );
    }
  });
});
