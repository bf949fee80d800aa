import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Code, deserialize, serialize, Int32, Double, Long, Timestamp } from 'bson';
import type { BsonDocument, BsonValue } from './types.js';
import { decodeOptions, isDocument } from './types.js';
import { bsonValue, sameBsonValue } from './test-arbitraries.js';
import { encodeDocument } from './serialize.js';
import { RawBson } from './raw.js';

/** BSON field names are C strings: no NUL. */
function withoutNulNames(value: BsonValue): BsonValue {
  if (Array.isArray(value)) return value.map(withoutNulNames);
  if (value instanceof Code && value.scope)
    return new Code(value.code, withoutNulNames(value.scope) as BsonDocument);
  if (!isDocument(value)) return value;
  const out: BsonDocument = {};
  for (const [key, child] of Object.entries(value))
    out[key.replaceAll('\u0000', '')] = withoutNulNames(child);
  return out;
}

/** What reading a value back gives: BSON has no undefined array element, it is null. */
function asStored(value: BsonValue): BsonValue {
  if (Array.isArray(value))
    return value.map((item) => (item === undefined ? null : asStored(item)));
  if (!isDocument(value)) return value;
  const out: BsonDocument = {};
  for (const [key, child] of Object.entries(value))
    if (child !== undefined) out[key] = asStored(child);
  return out;
}

const documents = fc.dictionary(
  fc.string({ maxLength: 4 }).map((key) => key.replaceAll('\u0000', '')),
  bsonValue.map(withoutNulNames),
  { maxKeys: 4 },
);

describe('encodeDocument', () => {
  test('produces the same bytes as the bson package, and decodes back to the same values', () => {
    fc.assert(
      fc.property(documents, (doc) => {
        const ours = encodeDocument(doc);
        assert.equal(ours.toString('hex'), Buffer.from(serialize(doc)).toString('hex'));
        const back = deserialize(ours, decodeOptions);
        for (const [key, value] of Object.entries(doc)) {
          if (value === undefined) continue;
          assert.ok(sameBsonValue(back[key], asStored(value)), `field ${JSON.stringify(key)}`);
        }
      }),
      { numRuns: 1000 },
    );
  });

  test('embeds RawBson unchanged and encodes reply conveniences as MongoDB does', () => {
    const inner = Buffer.from(serialize({ x: new Int32(1) }));
    const encoded = encodeDocument({
      doc: new RawBson(inner),
      n: 3,
      big: 2 ** 40,
      half: 0.5,
      neg0: -0,
      id: 5n,
    });
    const back = deserialize(encoded, decodeOptions);
    assert.deepEqual(back.doc, { x: new Int32(1) });
    assert.ok(back.n instanceof Int32 && back.n.value === 3, 'small integers become Int32');
    assert.ok(
      back.big instanceof Double && back.big.value === 2 ** 40,
      'large integers become Double',
    );
    assert.ok(back.neg0 instanceof Double && Object.is(back.neg0.value, -0), '-0 stays a double');
    assert.ok(back.id instanceof Long && back.id.toString() === '5', 'bigint becomes Int64');
  });

  test('Timestamp halves are unsigned', () => {
    const stamp = new Timestamp({ t: 2 ** 32 - 1, i: 2 ** 31 });
    const back = deserialize(encodeDocument({ stamp }), decodeOptions);
    assert.ok((back.stamp as Timestamp).equals(stamp));
  });
});
