/**
 * Robustness against arbitrary input: whatever bytes arrive, decodeMessage returns a message
 * or throws WireError; no RangeError, TypeError or AssertionError may escape to the
 * connection loop. Mutations start from valid messages so they reach deep into the parser.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeMessage } from './decode-message.js';
import {
  encodeCompressed,
  encodeOpMsg,
  encodeOpMsgRequest,
  encodeOpQueryRequest,
} from './encode-message.js';
import { MessageFramer } from './message-framer.js';
import { bson } from './test-fixtures.js';
import { WireError } from './wire-error.js';

const seeds: Buffer[] = [
  encodeOpMsg({ requestId: 1, responseTo: 0, body: bson({ ping: 1, $db: 'admin' }) }),
  encodeOpMsg({ requestId: 2, responseTo: 0, body: bson({ ok: 1 }), checksum: true }),
  encodeOpMsgRequest({
    requestId: 3,
    body: bson({ insert: 'c', $db: 'test' }),
    sequences: [
      { identifier: 'documents', documents: [bson({ _id: 1 }), bson({ _id: 2 })] },
      { identifier: 'nsInfo', documents: [] },
    ],
  }),
  encodeOpQueryRequest({
    requestId: 4,
    fullCollectionName: 'admin.$cmd',
    query: bson({ ismaster: 1 }),
    returnFieldsSelector: bson({ a: 1 }),
  }),
  encodeCompressed(encodeOpMsgRequest({ requestId: 5, body: bson({ find: 'c', $db: 'db' }) }), 2),
  encodeCompressed(encodeOpMsgRequest({ requestId: 6, body: bson({ count: 'c', $db: 'db' }) }), 0),
];

type Mutation =
  | { kind: 'flip'; position: number; value: number }
  | { kind: 'truncate'; position: number }
  | { kind: 'insert'; position: number; bytes: Uint8Array }
  | { kind: 'delete'; position: number; count: number }
  | { kind: 'int32'; position: number; value: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('flip'),
    position: fc.nat(),
    value: fc.integer({ min: 1, max: 255 }),
  }),
  fc.record({ kind: fc.constant('truncate'), position: fc.nat() }),
  fc.record({
    kind: fc.constant('insert'),
    position: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({
    kind: fc.constant('delete'),
    position: fc.nat(),
    count: fc.integer({ min: 1, max: 8 }),
  }),
  // Overwrite an aligned or unaligned int32 with an interesting length-like value.
  fc.record({
    kind: fc.constant('int32'),
    position: fc.nat(),
    value: fc.oneof(
      fc.constantFrom(-1, 0, 3, 4, 5, 16, 2 ** 31 - 1, -(2 ** 31), 48_000_000),
      fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
    ),
  }),
);

function apply(bytes: Buffer, change: Mutation): Buffer {
  const position = change.position % (bytes.length + 1);
  switch (change.kind) {
    case 'flip': {
      if (position === bytes.length) return bytes;
      const copy = Buffer.from(bytes);
      copy[position]! ^= change.value;
      return copy;
    }
    case 'truncate':
      return bytes.subarray(0, position);
    case 'insert':
      return Buffer.concat([bytes.subarray(0, position), change.bytes, bytes.subarray(position)]);
    case 'delete':
      return Buffer.concat([bytes.subarray(0, position), bytes.subarray(position + change.count)]);
    case 'int32': {
      if (position + 4 > bytes.length) return bytes;
      const copy = Buffer.from(bytes);
      copy.writeInt32LE(change.value, position);
      return copy;
    }
  }
}

/** Keeps the header's length truthful half the time, so mutations get past the first check. */
function fixLength(bytes: Buffer, fix: boolean): Buffer {
  if (!fix || bytes.length < 4) return bytes;
  const copy = Buffer.from(bytes);
  copy.writeInt32LE(copy.length, 0);
  return copy;
}

function decodesOrWireError(bytes: Buffer): void {
  try {
    decodeMessage(bytes);
  } catch (error) {
    if (!(error instanceof WireError)) throw error;
  }
}

void test('every seed decodes', () => {
  for (const seed of seeds) assert.doesNotThrow(() => decodeMessage(seed));
});

void test('property: mutated messages decode or throw WireError, nothing else', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...seeds),
      fc.array(mutation, { minLength: 1, maxLength: 4 }),
      fc.boolean(),
      (seed, changes, truthfulLength) => {
        const mutated = fixLength(changes.reduce(apply, seed), truthfulLength);
        decodesOrWireError(mutated);
      },
    ),
    { numRuns: 3000 },
  );
});

void test('property: random bytes behind a valid header decode or throw WireError', () => {
  const opCode = fc.constantFrom(2004, 2012, 2013, 1, 0, -1);
  fc.assert(
    fc.property(opCode, fc.uint8Array({ maxLength: 200 }), (code, payload) => {
      const bytes = Buffer.alloc(16 + payload.length);
      bytes.writeInt32LE(bytes.length, 0);
      bytes.writeInt32LE(code, 12);
      bytes.set(payload, 16);
      decodesOrWireError(bytes);
    }),
    { numRuns: 3000 },
  );
});

void test('property: the framer with decode never throws anything but WireError', () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...seeds), { minLength: 1, maxLength: 4 }),
      fc.array(mutation, { maxLength: 3 }),
      fc.integer({ min: 1, max: 64 }),
      (messages, changes, chunkSize) => {
        const stream = changes.reduce(apply, Buffer.concat(messages));
        const framer = new MessageFramer();
        try {
          for (let offset = 0; offset < stream.length; offset += chunkSize) {
            for (const frame of framer.push(stream.subarray(offset, offset + chunkSize))) {
              decodesOrWireError(frame);
            }
          }
        } catch (error) {
          if (!(error instanceof WireError)) throw error;
        }
      },
    ),
    { numRuns: 1000 },
  );
});
