import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AssertionError } from '../util/assert.js';
import { encodeOpMsg } from './encode-message.js';
import { messageSizeMax } from './limits.js';
import { MessageFramer } from './message-framer.js';
import { bson, int32 } from './test-fixtures.js';
import { WireError } from './wire-error.js';

function frame(requestId: number, padding = 0): Buffer {
  return encodeOpMsg({ requestId, responseTo: 0, body: bson({ ok: 1, pad: 'p'.repeat(padding) }) });
}

/** Splits `bytes` at the given cut points (any order, duplicates allowed). */
function split(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  return chunks;
}

function pushAll(framer: MessageFramer, chunks: Buffer[]): Buffer[] {
  return chunks.flatMap((chunk) => framer.push(chunk));
}

void describe('MessageFramer', () => {
  void test('many frames in one chunk', () => {
    const frames = [frame(1), frame(2, 100), frame(3)];
    const framer = new MessageFramer();
    assert.deepEqual(framer.push(Buffer.concat(frames)), frames);
    assert.equal(framer.bufferedBytes, 0);
  });

  void test('one frame across many chunks, completed only by the last', () => {
    const whole = frame(1, 1000);
    const framer = new MessageFramer();
    const chunks = split(whole, [3, 10, 500, whole.length - 1]);
    for (const chunk of chunks.slice(0, -1)) assert.deepEqual(framer.push(chunk), []);
    assert.equal(framer.bufferedBytes, whole.length - 1);
    assert.deepEqual(framer.push(chunks.at(-1)!), [whole]);
    assert.equal(framer.bufferedBytes, 0);
  });

  void test('1-byte chunks', () => {
    const frames = [frame(1), frame(2, 40)];
    const whole = Buffer.concat(frames);
    const framer = new MessageFramer();
    const out: Buffer[] = [];
    for (let index = 0; index < whole.length; index++) {
      out.push(...framer.push(whole.subarray(index, index + 1)));
    }
    assert.deepEqual(out, frames);
  });

  void test('the length prefix itself split across chunks', () => {
    const whole = frame(1);
    for (let cut = 1; cut < 4; cut++) {
      const framer = new MessageFramer();
      assert.deepEqual(pushAll(framer, [whole.subarray(0, cut), whole.subarray(cut)]), [whole]);
    }
  });

  void test('a frame inside one chunk is returned without copying', () => {
    const chunk = Buffer.concat([frame(1), frame(2)]);
    const [first, second] = new MessageFramer().push(chunk);
    assert.equal(first!.buffer, chunk.buffer);
    assert.equal(second!.byteOffset, chunk.byteOffset + first!.length);
  });

  void test('empty chunks and partial trailing data are kept', () => {
    const framer = new MessageFramer();
    const whole = Buffer.concat([frame(1), frame(2)]);
    assert.deepEqual(framer.push(Buffer.alloc(0)), []);
    assert.deepEqual(framer.push(whole.subarray(0, whole.length - 5)), [frame(1)]);
    assert.equal(framer.bufferedBytes, frame(2).length - 5);
    assert.deepEqual(framer.push(Buffer.alloc(0)), []);
    assert.deepEqual(framer.push(whole.subarray(whole.length - 5)), [frame(2)]);
  });

  const badLengths: [string, number][] = [
    ['zero', 0],
    ['below the header size', 15],
    ['negative', -1],
    ['most negative int32', -(2 ** 31)],
    ['above maxMessageSizeBytes', messageSizeMax + 1],
    ['largest int32', 2 ** 31 - 1],
  ];
  for (const [name, length] of badLengths) {
    void test(`length prefix ${name} is a WireError as soon as 4 bytes arrive`, () => {
      const framer = new MessageFramer();
      assert.deepEqual(framer.push(int32(length).subarray(0, 3)), []);
      assert.throws(
        () => framer.push(int32(length).subarray(3)),
        (error: unknown) => {
          assert.ok(error instanceof WireError);
          assert.equal(error.codeName, 'ProtocolError');
          assert.equal(error.closesConnection, true);
          return true;
        },
      );
    });
  }

  void test('frames before a bad prefix in the same chunk are still lost with the connection', () => {
    const framer = new MessageFramer();
    assert.throws(() => framer.push(Buffer.concat([frame(1), int32(3)])), WireError);
    assert.throws(() => framer.push(frame(2)), WireError, 'the framer stays failed');
  });

  void test('a custom messageSizeMax', () => {
    const small = frame(1);
    const framer = new MessageFramer({ messageSizeMax: small.length });
    assert.deepEqual(framer.push(small), [small]);
    assert.throws(() => framer.push(frame(2, 1)), WireError);
    assert.throws(() => new MessageFramer({ messageSizeMax: 15 }), AssertionError);
  });

  void test('many small chunks for one large frame stay linear', () => {
    const whole = frame(1, 300_000);
    const framer = new MessageFramer();
    const out: Buffer[] = [];
    for (let offset = 0; offset < whole.length; offset += 7) {
      out.push(...framer.push(whole.subarray(offset, offset + 7)));
    }
    assert.deepEqual(out, [whole]);
    assert.equal(framer.bufferedBytes, 0);
  });

  void test('property: any chunking yields exactly the original frames', () => {
    const frames = fc.array(
      fc.tuple(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.nat({ max: 300 })),
      { minLength: 0, maxLength: 8 },
    );
    fc.assert(
      fc.property(frames, fc.array(fc.nat(), { maxLength: 40 }), (specs, cuts) => {
        const expected = specs.map(([requestId, padding]) => frame(requestId, padding));
        const framer = new MessageFramer();
        const actual = pushAll(framer, split(Buffer.concat(expected), cuts));
        assert.deepEqual(actual, expected);
        assert.equal(framer.bufferedBytes, 0);
      }),
    );
  });
});
