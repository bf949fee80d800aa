import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { deserialize } from 'bson';
import { decodeOptions } from './types.js';
import { bsonValue, sameBsonValue } from './test-arbitraries.js';
import { encodeDocument } from './serialize.js';
import { decodeFields } from './partial-decode.js';

const names = fc.constantFrom('a', 'b', 'c', 'é', 'long-name');

test('decodeFields gives exactly the fields a full decode gives, with exact types', () => {
  fc.assert(
    fc.property(
      fc.dictionary(names, bsonValue, { maxKeys: 5 }),
      fc.uniqueArray(names, { maxLength: 3 }),
      (doc, wanted) => {
        let bytes: Buffer;
        try {
          bytes = encodeDocument(doc);
        } catch {
          // The arbitrary can nest field names with NUL, which BSON cannot encode.
          fc.pre(false);
          return;
        }
        const full = deserialize(bytes, decodeOptions);
        const partial = decodeFields(bytes, new Set(wanted));
        assert.deepEqual(Object.keys(partial).sort(), wanted.filter((name) => name in full).sort());
        for (const [name, value] of Object.entries(partial)) {
          assert.ok(sameBsonValue(value, full[name]), name);
        }
      },
    ),
    { numRuns: 2000 },
  );
});
