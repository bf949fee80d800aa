/**
 * Encoders, checked two ways: decodeMessage must give back what went in, and the official
 * driver's own reply parsers (OpMsgResponse, OpReply, decompressResponse) must accept what
 * the server side sends.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deserialize } from 'bson';
import fc from 'fast-check';
import { AssertionError } from '../util/assert.js';
import { decodeMessage } from './decode-message.js';
import type { OpMsg, OpQuery } from './decode-message.js';
import {
  encodeCompressed,
  encodeOpMsg,
  encodeOpMsgRequest,
  encodeOpQueryRequest,
  encodeOpReply,
} from './encode-message.js';
import { crc32c } from './crc32c.js';
import { opCodes, opMsgFlags } from './limits.js';
import {
  bson,
  crc32cReference,
  driverHeader,
  loadDriverCommands,
  loadDriverCompression,
} from './test-fixtures.js';
import type { DriverOpMsgResponse, DriverOpReply } from './test-fixtures.js';

const commands = await loadDriverCommands();
const compression = await loadDriverCompression();

function asMsg(frame: Buffer): OpMsg {
  const decoded = decodeMessage(frame);
  assert.equal(decoded.kind, 'msg');
  return decoded;
}

function asQuery(frame: Buffer): OpQuery {
  const decoded = decodeMessage(frame);
  assert.equal(decoded.kind, 'query');
  return decoded;
}

function driverOpMsg(frame: Buffer): DriverOpMsgResponse {
  return new commands.OpMsgResponse(frame, driverHeader(frame), frame.subarray(16));
}

function driverOpReply(frame: Buffer): DriverOpReply {
  return new commands.OpReply(frame, driverHeader(frame), frame.subarray(16));
}

void describe('encodeOpMsg (server replies)', () => {
  const reply = bson({ ok: 1, n: 3 });

  void test('round trip', () => {
    const frame = encodeOpMsg({ requestId: 10, responseTo: 99, body: reply });
    const decoded = asMsg(frame);
    assert.deepEqual(decoded.header, {
      messageLength: frame.length,
      requestId: 10,
      responseTo: 99,
      opCode: 2013,
    });
    assert.deepEqual(decoded.body, reply);
    assert.equal(decoded.flags, 0);
    assert.deepEqual(decoded.sequences, []);
  });

  void test('the driver parses it', () => {
    const parsed = driverOpMsg(encodeOpMsg({ requestId: 1, responseTo: 2, body: reply }));
    assert.deepEqual(deserialize(parsed.parse()), { ok: 1, n: 3 });
    assert.equal(parsed.sections.length, 1);
    assert.equal(parsed.moreToCome, false);
  });

  void test('moreToCome for exhaust replies reaches the driver', () => {
    const frame = encodeOpMsg({
      requestId: 1,
      responseTo: 2,
      body: reply,
      flags: opMsgFlags.moreToCome,
    });
    assert.equal(driverOpMsg(frame).moreToCome, true);
    assert.equal(asMsg(frame).moreToCome, true);
  });

  void test('with a checksum: flag set, CRC-32C over all preceding bytes', () => {
    const frame = encodeOpMsg({ requestId: 1, responseTo: 2, body: reply, checksum: true });
    const decoded = asMsg(frame);
    assert.equal(decoded.checksumPresent, true);
    assert.deepEqual(decoded.body, reply);
    const covered = frame.subarray(0, frame.length - 4);
    assert.equal(frame.readUInt32LE(frame.length - 4), crc32cReference(covered));
    assert.equal(driverOpMsg(frame).checksumPresent, true);
  });

  void test('checksumPresent cannot be smuggled in through flags', () => {
    assert.throws(
      () => encodeOpMsg({ requestId: 1, responseTo: 2, body: reply, flags: 1 }),
      AssertionError,
    );
  });

  void test('a body whose length prefix lies is a programming error', () => {
    const lying = Buffer.from(reply);
    lying.writeInt32LE(reply.length + 1, 0);
    assert.throws(() => encodeOpMsg({ requestId: 1, responseTo: 2, body: lying }), AssertionError);
    assert.throws(
      () => encodeOpMsg({ requestId: 1, responseTo: 2, body: Buffer.from([5, 0, 0, 0, 1]) }),
      AssertionError,
    );
    assert.throws(
      () => encodeOpMsg({ requestId: 1, responseTo: 2, body: Buffer.alloc(4) }),
      AssertionError,
    );
  });

  void test('a body given as a view into a larger buffer', () => {
    const backing = Buffer.concat([Buffer.from([9, 9, 9]), reply, Buffer.from([7])]);
    const view = new Uint8Array(backing.buffer, backing.byteOffset + 3, reply.length);
    assert.deepEqual(asMsg(encodeOpMsg({ requestId: 1, responseTo: 2, body: view })).body, reply);
  });
});

void describe('encodeOpMsgRequest (client requests)', () => {
  void test('round trip with sequences, flags and checksum', () => {
    const documents = [bson({ _id: 1 }), bson({ _id: 2, s: 'é' })];
    const body = bson({ insert: 'c', $db: 'test' });
    for (const checksum of [false, true]) {
      const frame = encodeOpMsgRequest({
        requestId: 5,
        body,
        sequences: [
          { identifier: 'documents', documents },
          { identifier: 'nsInfo', documents: [] },
        ],
        flags: opMsgFlags.exhaustAllowed,
        checksum,
      });
      const decoded = asMsg(frame);
      assert.deepEqual(decoded.body, body);
      assert.deepEqual(decoded.sequences, [
        { identifier: 'documents', documents },
        { identifier: 'nsInfo', documents: [] },
      ]);
      assert.equal(decoded.exhaustAllowed, true);
      assert.equal(decoded.checksumPresent, checksum);
      assert.equal(decoded.header.responseTo, 0);
    }
  });

  void test('byte-identical to the driver for the same command', () => {
    const command = {
      insert: 'c',
      documents: new commands.DocumentSequence('documents', [{ a: 1 }, { a: 2 }]),
    };
    const driver = Buffer.concat(
      new commands.OpMsgRequest('test', command, { requestId: 77 }).toBin(),
    );
    const ours = encodeOpMsgRequest({
      requestId: 77,
      body: bson({ insert: 'c', $db: 'test' }),
      sequences: [{ identifier: 'documents', documents: [bson({ a: 1 }), bson({ a: 2 })] }],
    });
    assert.deepEqual(ours, driver);
  });

  void test('an identifier with NUL is a programming error', () => {
    const body = bson({ ping: 1 });
    const sequences = [{ identifier: 'a\0b', documents: [] }];
    assert.throws(() => encodeOpMsgRequest({ requestId: 1, body, sequences }), AssertionError);
  });
});

void describe('encodeOpReply', () => {
  void test('the driver parses the handshake reply', () => {
    const hello = bson({ ismaster: true, maxWireVersion: 21, ok: 1 });
    const frame = encodeOpReply({ requestId: 3, responseTo: 8, documents: [hello] });
    assert.equal(frame.readInt32LE(12), opCodes.reply);
    const reply = driverOpReply(frame);
    assert.deepEqual(deserialize(reply.parse()), { ismaster: true, maxWireVersion: 21, ok: 1 });
    assert.equal(reply.numberReturned, 1);
    assert.equal(reply.responseTo, 8);
    assert.equal(reply.requestId, 3);
    assert.equal(reply.cursorId?.toBigInt(), 0n);
  });

  void test('all fields, several documents', () => {
    const documents = [bson({ a: 1 }), bson({ b: 2 }), bson({})];
    const frame = encodeOpReply({
      requestId: 3,
      responseTo: 8,
      documents,
      responseFlags: 8,
      cursorId: -(2n ** 63n),
      startingFrom: 12,
    });
    const reply = driverOpReply(frame);
    reply.parse();
    assert.equal(reply.responseFlags, 8);
    assert.equal(reply.cursorId?.toBigInt(), -(2n ** 63n));
    assert.equal(reply.startingFrom, 12);
    assert.equal(reply.numberReturned, 3);
    assert.deepEqual(
      reply.sections.map((section) => Buffer.from(section)),
      documents,
    );
  });
});

void describe('encodeOpQueryRequest', () => {
  void test('round trip and defaults (numberToReturn -1, like drivers)', () => {
    const query = bson({ ismaster: 1 });
    const decoded = asQuery(
      encodeOpQueryRequest({ requestId: 4, fullCollectionName: 'admin.$cmd', query }),
    );
    assert.equal(decoded.fullCollectionName, 'admin.$cmd');
    assert.equal(decoded.numberToReturn, -1);
    assert.equal(decoded.numberToSkip, 0);
    assert.equal(decoded.flags, 0);
    assert.deepEqual(decoded.query, query);
  });

  void test('with a selector, skip and flags', () => {
    const query = bson({ a: 1 });
    const selector = bson({ b: 1 });
    const decoded = asQuery(
      encodeOpQueryRequest({
        requestId: 4,
        fullCollectionName: 'db.coll',
        query,
        returnFieldsSelector: selector,
        numberToSkip: 3,
        numberToReturn: 2,
        flags: 4,
      }),
    );
    assert.deepEqual([decoded.numberToSkip, decoded.numberToReturn, decoded.flags], [3, 2, 4]);
    assert.deepEqual(decoded.returnFieldsSelector, selector);
  });

  void test('byte-identical to the driver handshake', () => {
    const hello = { ismaster: 1, helloOk: true };
    const options = { requestId: 12, numberToReturn: -1, secondaryOk: true };
    const driver = Buffer.concat(new commands.OpQueryRequest('admin', hello, options).toBin());
    const ours = encodeOpQueryRequest({
      requestId: 12,
      fullCollectionName: 'admin.$cmd',
      query: bson(hello),
      flags: 4,
    });
    assert.deepEqual(ours, driver);
  });
});

void describe('encodeCompressed', () => {
  const reply = encodeOpMsg({
    requestId: 21,
    responseTo: 20,
    body: bson({ ok: 1, big: 'x'.repeat(500) }),
  });

  for (const compressorId of [0, 2]) {
    void test(`compressor ${compressorId}: round trip keeps ids and records the compressor`, () => {
      const frame = encodeCompressed(reply, compressorId);
      assert.equal(frame.readInt32LE(12), opCodes.compressed);
      const decoded = asMsg(frame);
      assert.equal(decoded.compressorId, compressorId);
      assert.deepEqual(decoded.header, {
        messageLength: reply.length,
        requestId: 21,
        responseTo: 20,
        opCode: 2013,
      });
      assert.deepEqual(decoded.body, reply.subarray(21));
    });

    void test(`compressor ${compressorId}: the driver decompresses it`, async () => {
      const parsed = await compression.decompressResponse(encodeCompressed(reply, compressorId));
      assert.deepEqual(deserialize(parsed.parse()), { ok: 1, big: 'x'.repeat(500) });
    });
  }

  void test('zlib shrinks a compressible message', () => {
    assert.ok(encodeCompressed(reply, 2).length < reply.length);
  });

  void test('an OP_REPLY and an OP_QUERY can be compressed too', async () => {
    const opReply = encodeOpReply({ requestId: 1, responseTo: 2, documents: [bson({ ok: 1 })] });
    const parsed = await compression.decompressResponse(encodeCompressed(opReply, 2));
    assert.deepEqual(deserialize(parsed.parse()), { ok: 1 });
    const query = encodeOpQueryRequest({
      requestId: 1,
      fullCollectionName: 'admin.$cmd',
      query: bson({ hello: 1 }),
    });
    assert.equal(asQuery(encodeCompressed(query, 2)).fullCollectionName, 'admin.$cmd');
  });

  void test('checksums survive compression', () => {
    const checked = encodeOpMsg({
      requestId: 1,
      responseTo: 2,
      body: bson({ ok: 1 }),
      checksum: true,
    });
    const decoded = asMsg(encodeCompressed(checked, 2));
    assert.equal(decoded.checksumPresent, true);
    assert.equal(
      crc32c(checked, 0, 0, checked.length - 4),
      checked.readUInt32LE(checked.length - 4),
    );
  });

  void test('unsupported compressors, double compression and partial messages are programming errors', () => {
    assert.throws(() => encodeCompressed(reply, 1), AssertionError);
    assert.throws(() => encodeCompressed(reply, 3), AssertionError);
    assert.throws(() => encodeCompressed(encodeCompressed(reply, 2), 2), AssertionError);
    assert.throws(() => encodeCompressed(reply.subarray(0, reply.length - 1), 2), AssertionError);
  });
});

void describe('round-trip properties', () => {
  const name = fc
    .string({ unit: 'grapheme', maxLength: 12 })
    .filter((value) => !value.includes('\0'));
  const document = fc
    .dictionary(name, fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.constant(null)), {
      maxKeys: 5,
    })
    .map((value) => bson(value));
  const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
  const sequences = fc.uniqueArray(
    // fast-check records have a null prototype; spreading makes them compare like ours.
    fc
      .record({ identifier: name, documents: fc.array(document, { maxLength: 4 }) })
      .map((value) => ({
        ...value,
      })),
    { maxLength: 2, selector: (sequence) => sequence.identifier },
  );

  void test('encodeOpMsgRequest then decodeMessage gives back every field', () => {
    fc.assert(
      fc.property(
        int32,
        document,
        sequences,
        fc.boolean(),
        fc.constantFrom(0, opMsgFlags.moreToCome, opMsgFlags.exhaustAllowed),
        fc.constantFrom(undefined, 0, 2),
        (requestId, body, sequenceList, checksum, flags, compressorId) => {
          let frame = encodeOpMsgRequest({
            requestId,
            body,
            sequences: sequenceList,
            flags,
            checksum,
          });
          if (compressorId !== undefined) frame = encodeCompressed(frame, compressorId);
          const decoded = asMsg(frame);
          assert.equal(decoded.header.requestId, requestId);
          assert.deepEqual(decoded.body, body);
          assert.deepEqual(decoded.sequences, sequenceList);
          assert.equal(decoded.checksumPresent, checksum);
          assert.equal(decoded.flags & ~opMsgFlags.checksumPresent, flags);
          assert.equal(decoded.compressorId, compressorId);
        },
      ),
    );
  });

  void test('encodeOpQueryRequest then decodeMessage gives back every field', () => {
    fc.assert(
      fc.property(
        int32,
        name,
        document,
        fc.option(document, { nil: undefined }),
        int32,
        int32,
        int32,
        (requestId, fullCollectionName, query, selector, numberToSkip, numberToReturn, flags) => {
          const decoded = asQuery(
            encodeOpQueryRequest({
              requestId,
              fullCollectionName,
              query,
              returnFieldsSelector: selector,
              numberToSkip,
              numberToReturn,
              flags,
            }),
          );
          assert.deepEqual(
            [decoded.header.requestId, decoded.fullCollectionName, decoded.numberToSkip],
            [requestId, fullCollectionName, numberToSkip],
          );
          assert.deepEqual([decoded.numberToReturn, decoded.flags], [numberToReturn, flags]);
          assert.deepEqual(decoded.query, query);
          assert.deepEqual(decoded.returnFieldsSelector, selector);
        },
      ),
    );
  });

  void test('encodeOpReply is read back by the driver', () => {
    fc.assert(
      fc.property(
        int32,
        int32,
        fc.array(document, { maxLength: 5 }),
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        (requestId, responseTo, documents, cursorId) => {
          const reply = driverOpReply(
            encodeOpReply({ requestId, responseTo, documents, cursorId }),
          );
          reply.parse();
          assert.deepEqual([reply.requestId, reply.responseTo], [requestId, responseTo]);
          assert.equal(reply.cursorId?.toBigInt(), cursorId);
          assert.deepEqual(
            reply.sections.map((section) => Buffer.from(section)),
            documents,
          );
        },
      ),
    );
  });
});
