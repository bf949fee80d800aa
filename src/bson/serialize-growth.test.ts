/**
 * Regression: an element whose value makes the encoder's buffer grow (past its initial
 * 256 bytes) must keep its type byte. It used to be written into the discarded buffer,
 * leaving 0x00 there, which drivers reject ("Invalid 0x00 type byte").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deserialize, Int32 } from 'bson';
import { encodeDocument } from './serialize.js';
import { RawBson } from './raw.js';

test('values that grow the buffer keep their type byte', () => {
  for (const length of [100, 200, 250, 255, 300, 1000, 5000]) {
    const text = 'x'.repeat(length);
    const embedded = new RawBson(encodeDocument({ _id: new Int32(1), s: text }));
    const bytes = encodeDocument({
      cursor: { firstBatch: [embedded], ns: 'db.c' },
      s: text,
      ok: new Int32(1),
    });
    const decoded = deserialize(bytes);
    assert.equal(decoded['s'], text);
    assert.equal(decoded['cursor'].firstBatch[0].s, text);
  }
});
