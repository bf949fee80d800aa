/**
 * decodeMessage on hand-built messages. The OP_MSG cases mirror mongod's own parser tests
 * (src/mongo/rpc/op_msg_test.cpp) and expect the same error codes; the framing, compression
 * and OP_QUERY cases follow mongod's transport layer, MessageCompressorManager and DbMessage.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { decodeMessage } from './decode-message.js';
import type { IncomingMessage, OpMsg, OpQuery } from './decode-message.js';
import { bsonObjectSizeInternalMax, messageSizeMax, opCodes } from './limits.js';
import {
  bson,
  byte,
  cstring,
  int32,
  message,
  opMsgBytes,
  sized,
  uint32,
  withChecksum,
} from './test-fixtures.js';
import { WireError } from './wire-error.js';

const body = 0;
const sequence = 1;
const ping = bson({ ping: 1 });

function decodeMsg(frame: Buffer): OpMsg {
  const decoded = decodeMessage(frame);
  assert.equal(decoded.kind, 'msg');
  return decoded;
}

function decodeQuery(frame: Buffer): OpQuery {
  const decoded = decodeMessage(frame);
  assert.equal(decoded.kind, 'query');
  return decoded;
}

function wireErrorOf(frame: Buffer): WireError {
  try {
    decodeMessage(frame);
  } catch (error) {
    assert.ok(error instanceof WireError, `expected a WireError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected decodeMessage to throw');
}

function identifiers(decoded: IncomingMessage): [string, number][] {
  assert.equal(decoded.kind, 'msg');
  return decoded.sequences.map((s) => [s.identifier, s.documents.length]);
}

void describe('OP_MSG sections', () => {
  void test('just a body', () => {
    const decoded = decodeMsg(opMsgBytes([uint32(0), byte(body), ping], { requestId: 7 }));
    assert.deepEqual(decoded.body, ping);
    assert.deepEqual(decoded.sequences, []);
    assert.deepEqual(decoded.header, {
      messageLength: 36,
      requestId: 7,
      responseTo: 0,
      opCode: 2013,
    });
    assert.equal(decoded.flags, 0);
    assert.equal(decoded.compressorId, undefined);
  });

  void test('body then sequence keeps document order and raw bytes', () => {
    const docs = [bson({ a: 1 }), bson({ a: 2 })];
    const frame = opMsgBytes([
      uint32(0),
      byte(body),
      ping,
      byte(sequence),
      sized([cstring('docs'), ...docs]),
    ]);
    const decoded = decodeMsg(frame);
    assert.deepEqual(decoded.sequences, [{ identifier: 'docs', documents: docs }]);
  });

  const orders: [string, Buffer[], [string, number][]][] = [
    [
      'sequence then body',
      [byte(sequence), sized([cstring('docs'), bson({ a: 1 })]), byte(body), ping],
      [['docs', 1]],
    ],
    [
      'sequence, body, sequence',
      [
        byte(sequence),
        sized([cstring('empty')]),
        byte(body),
        ping,
        byte(sequence),
        sized([cstring('docs'), bson({ a: 1 })]),
      ],
      [
        ['empty', 0],
        ['docs', 1],
      ],
    ],
    [
      'two sequences then body',
      [
        byte(sequence),
        sized([cstring('empty')]),
        byte(sequence),
        sized([cstring('docs'), bson({ a: 1 })]),
        byte(body),
        ping,
      ],
      [
        ['empty', 0],
        ['docs', 1],
      ],
    ],
    ['an empty identifier', [byte(body), ping, byte(sequence), sized([cstring('')])], [['', 0]]],
    [
      'a dotted identifier',
      [byte(body), ping, byte(sequence), sized([cstring('cursor.firstBatch'), bson({ _id: 1 })])],
      [['cursor.firstBatch', 1]],
    ],
  ];
  for (const [name, sections, expected] of orders) {
    void test(name, () => {
      const decoded = decodeMsg(opMsgBytes([uint32(0), ...sections]));
      assert.deepEqual(decoded.body, ping);
      assert.deepEqual(identifiers(decoded), expected);
    });
  }

  void test('body and documents are views into the frame, not copies', () => {
    const frame = opMsgBytes([
      uint32(0),
      byte(body),
      ping,
      byte(sequence),
      sized([cstring('d'), bson({ a: 1 })]),
    ]);
    const decoded = decodeMsg(frame);
    assert.equal(decoded.body.buffer, frame.buffer);
    assert.equal(decoded.sequences[0]!.documents[0]!.buffer, frame.buffer);
  });
});

void describe('OP_MSG flags', () => {
  const cases: [string, number, Partial<OpMsg>][] = [
    ['none', 0, { moreToCome: false, exhaustAllowed: false, checksumPresent: false }],
    ['moreToCome (bit 1)', 1 << 1, { moreToCome: true, exhaustAllowed: false }],
    ['exhaustAllowed (bit 16)', 1 << 16, { moreToCome: false, exhaustAllowed: true }],
    // Bits 16-31 are optional: a receiver ignores the ones it does not know (OP_MSG spec).
    [
      'unknown optional bits 17 and 31',
      (1 << 17) | (1 << 31),
      { moreToCome: false, exhaustAllowed: false },
    ],
  ];
  for (const [name, flags, expected] of cases) {
    void test(name, () => {
      const decoded = decodeMsg(opMsgBytes([uint32(flags), byte(body), ping]));
      assert.equal(decoded.flags, flags >>> 0);
      for (const [key, value] of Object.entries(expected)) {
        assert.equal(decoded[key as keyof OpMsg], value, key);
      }
    });
  }

  for (const bit of [2, 3, 8, 15]) {
    void test(`required bit ${bit} is IllegalOpMsgFlag and closes the connection`, () => {
      const error = wireErrorOf(opMsgBytes([uint32(1 << bit), byte(body), ping]));
      assert.equal(error.code, 223);
      assert.equal(error.codeName, 'IllegalOpMsgFlag');
      assert.equal(error.closesConnection, true);
    });
  }
});

void describe('OP_MSG checksum', () => {
  void test('a valid CRC-32C is accepted and excluded from the sections', () => {
    const frame = withChecksum(opMsgBytes([uint32(1), byte(body), ping]));
    const decoded = decodeMsg(frame);
    assert.equal(decoded.checksumPresent, true);
    assert.deepEqual(decoded.body, ping);
  });

  void test('a valid checksum with a document sequence', () => {
    const frame = withChecksum(
      opMsgBytes([
        uint32(1),
        byte(body),
        ping,
        byte(sequence),
        sized([cstring('documents'), bson({ x: 1 })]),
      ]),
    );
    assert.deepEqual(identifiers(decodeMsg(frame)), [['documents', 1]]);
  });

  void test('any corrupted covered byte is ChecksumMismatch and closes the connection', () => {
    const frame = withChecksum(opMsgBytes([uint32(1), byte(body), ping]));
    // The checksum covers everything before it. Skipped: the length and opCode (checked
    // before any checksum) and flag bits 0-15 (a flipped required bit fails first).
    const skipped = new Set([0, 1, 2, 3, 12, 13, 14, 15, 16, 17]);
    for (let index = 0; index < frame.length; index++) {
      if (skipped.has(index)) continue;
      const corrupted = Buffer.from(frame);
      corrupted[index]! ^= 0x40;
      const error = wireErrorOf(corrupted);
      assert.equal(error.codeName, 'ChecksumMismatch', `byte ${index}`);
      assert.equal(error.code, 288);
      assert.equal(error.closesConnection, true);
    }
  });

  void test('a message too short to hold flags and a checksum', () => {
    const error = wireErrorOf(opMsgBytes([uint32(1), uint32(0)]));
    assert.equal(error.code, 51252);
    assert.equal(error.codeName, 'Location51252');
  });
});

/** [name, frame, code, closesConnection] */
const malformed: [string, Buffer, number, boolean][] = [
  ['no sections at all', opMsgBytes([uint32(0)]), 40587, false],
  [
    'only a sequence, no body',
    opMsgBytes([uint32(0), byte(sequence), sized([cstring('docs')])]),
    40587,
    false,
  ],
  [
    'two bodies',
    opMsgBytes([uint32(0), byte(body), ping, byte(body), bson({ pong: 1 })]),
    40430,
    false,
  ],
  [
    'duplicate sequence identifiers',
    opMsgBytes([
      uint32(0),
      byte(body),
      ping,
      byte(sequence),
      sized([cstring('docs')]),
      byte(sequence),
      sized([cstring('docs')]),
    ]),
    40431,
    false,
  ],
  ['unknown section kind 0x99', opMsgBytes([uint32(0), byte(0x99), sized([])]), 40432, false],
  ['unknown section kind 3', opMsgBytes([uint32(0), byte(body), ping, byte(3)]), 40432, false],
  [
    'security token section (kind 2)',
    opMsgBytes([uint32(0), byte(2), cstring('token'), byte(body), ping]),
    13,
    false,
  ],
  [
    'three document sequences',
    opMsgBytes([
      uint32(0),
      byte(body),
      ping,
      byte(sequence),
      sized([cstring('foo')]),
      byte(sequence),
      sized([cstring('bar')]),
      byte(sequence),
      sized([cstring('baz')]),
    ]),
    233,
    true,
  ],
  ['no room for flags (0 bytes)', opMsgBytes([]), 15, false],
  ['no room for flags (3 bytes)', opMsgBytes([Buffer.from([0, 0, 0])]), 15, false],
  [
    'body runs past the message',
    opMsgBytes([uint32(0), byte(body), ping.subarray(0, ping.length - 1)]),
    22,
    false,
  ],
  [
    'body runs into the checksum',
    withChecksum(opMsgBytes([uint32(1), byte(body), ping.subarray(0, ping.length - 1)])),
    22,
    false,
  ],
  [
    'body is not null-terminated',
    opMsgBytes([
      uint32(0),
      byte(body),
      Buffer.concat([ping.subarray(0, ping.length - 1), byte(1)]),
    ]),
    22,
    false,
  ],
  ['body length below 5', opMsgBytes([uint32(0), byte(body), int32(4), byte(0)]), 22, false],
  [
    'body length negative',
    opMsgBytes([uint32(0), byte(body), int32(-20), Buffer.alloc(20)]),
    22,
    false,
  ],
  ['body cut to 3 bytes', opMsgBytes([uint32(0), byte(body), Buffer.from([5, 0, 0])]), 22, false],
  [
    'body claims more than 16 MiB + 16 KiB',
    opMsgBytes([uint32(0), byte(body), int32(bsonObjectSizeInternalMax + 1), byte(0)]),
    10334,
    false,
  ],
  [
    'sequence size runs past the message',
    opMsgBytes([
      uint32(0),
      byte(body),
      ping,
      byte(sequence),
      sized([cstring('docs'), bson({ a: 1 })], 1),
    ]),
    15,
    false,
  ],
  [
    'sequence size runs into the checksum',
    withChecksum(
      opMsgBytes([
        uint32(1),
        byte(body),
        ping,
        byte(sequence),
        sized([cstring('docs'), bson({ a: 1 })], 1),
      ]),
    ),
    15,
    false,
  ],
  [
    'sequence size below 4',
    opMsgBytes([uint32(0), byte(body), ping, byte(sequence), int32(3), byte(0)]),
    15,
    false,
  ],
  [
    'sequence size negative',
    opMsgBytes([uint32(0), byte(body), ping, byte(sequence), int32(-1), byte(0)]),
    15,
    false,
  ],
  [
    'sequence size truncated',
    opMsgBytes([uint32(0), byte(body), ping, byte(sequence), Buffer.from([9, 0])]),
    15,
    false,
  ],
  [
    'document runs past its sequence',
    opMsgBytes([
      uint32(0),
      byte(body),
      ping,
      byte(sequence),
      sized([cstring('docs'), bson({ a: 1 })], -1),
      byte(0),
    ]),
    22,
    false,
  ],
  [
    'identifier runs past its sequence',
    opMsgBytes([uint32(0), byte(body), ping, byte(sequence), sized([cstring('foo')], -1), byte(0)]),
    15,
    false,
  ],
  [
    'identifier without a terminator',
    opMsgBytes([uint32(0), byte(body), ping, byte(sequence), sized([Buffer.from('foo')])]),
    15,
    false,
  ],
  [
    'sequence trailing bytes too short for a document',
    opMsgBytes([
      uint32(0),
      byte(body),
      ping,
      byte(sequence),
      sized([cstring('docs'), bson({ a: 1 }), Buffer.from([1, 2])]),
    ]),
    22,
    false,
  ],
];

void describe('malformed OP_MSG', () => {
  for (const [name, frame, code, closes] of malformed) {
    void test(`${name} -> ${code}`, () => {
      const error = wireErrorOf(frame);
      assert.equal(error.code, code, error.message);
      assert.equal(error.closesConnection, closes);
      if (!closes) assert.deepEqual(error.replyTo, { ...decodeHeaderOf(frame) });
    });
  }

  void test('a fire-and-forget (moreToCome) request is dropped: no reply, connection kept', () => {
    const error = wireErrorOf(opMsgBytes([uint32(2), byte(body), ping, byte(body), ping]));
    assert.equal(error.code, 40430);
    assert.equal(error.closesConnection, false);
    assert.equal(error.replyTo, undefined);
    assert.equal(error.request?.moreToCome, true);
  });

  void test('fatal errors close even a fire-and-forget request', () => {
    const error = wireErrorOf(opMsgBytes([uint32(2 | 4), byte(body), ping]));
    assert.equal(error.codeName, 'IllegalOpMsgFlag');
    assert.equal(error.closesConnection, true);
  });
});

function decodeHeaderOf(frame: Buffer): object {
  return {
    messageLength: frame.readInt32LE(0),
    requestId: frame.readInt32LE(4),
    responseTo: frame.readInt32LE(8),
    opCode: frame.readInt32LE(12),
  };
}

void describe('message header', () => {
  const valid = opMsgBytes([uint32(0), byte(body), ping]);
  const cases: [string, Buffer][] = [
    ['empty frame', Buffer.alloc(0)],
    ['truncated header', valid.subarray(0, 15)],
    [
      'length shorter than the frame',
      opMsgBytes([uint32(0), byte(body), ping], { lengthDelta: -1 }),
    ],
    ['length longer than the frame', opMsgBytes([uint32(0), byte(body), ping], { lengthDelta: 1 })],
    ['length below the header size', opMsgBytes([], { lengthDelta: -1 })],
    ['negative length', opMsgBytes([uint32(0), byte(body), ping], { lengthDelta: -(2 ** 31) })],
    [
      'length above maxMessageSizeBytes',
      opMsgBytes([uint32(0), byte(body), ping], { lengthDelta: messageSizeMax }),
    ],
    ['frame truncated mid-body', valid.subarray(0, valid.length - 3)],
    ['unknown opCode 9999', message(9999, [uint32(0), byte(body), ping])],
    ['OP_REPLY sent to the server', message(opCodes.reply, [Buffer.alloc(20)])],
    ['legacy OP_INSERT', message(opCodes.insert, [uint32(0), cstring('db.c'), ping])],
    [
      'legacy OP_GET_MORE',
      message(opCodes.getMore, [uint32(0), cstring('db.c'), int32(0), Buffer.alloc(8)]),
    ],
  ];
  for (const [name, frame] of cases) {
    void test(`${name} is ProtocolError and closes the connection`, () => {
      const error = wireErrorOf(frame);
      assert.equal(error.code, 17);
      assert.equal(error.closesConnection, true);
    });
  }
});

void describe('OP_QUERY', () => {
  const hello = bson({ ismaster: 1, helloOk: true });

  void test('the driver handshake shape', () => {
    const frame = message(
      opCodes.query,
      [int32(4), cstring('admin.$cmd'), int32(0), int32(-1), hello],
      { requestId: 3 },
    );
    const decoded = decodeQuery(frame);
    assert.equal(decoded.flags, 4);
    assert.equal(decoded.fullCollectionName, 'admin.$cmd');
    assert.equal(decoded.numberToSkip, 0);
    assert.equal(decoded.numberToReturn, -1);
    assert.deepEqual(decoded.query, hello);
    assert.equal(decoded.returnFieldsSelector, undefined);
    assert.equal(decoded.header.requestId, 3);
  });

  void test('with a returnFieldsSelector', () => {
    const selector = bson({ a: 1 });
    const decoded = decodeQuery(
      message(opCodes.query, [int32(0), cstring('db.c'), int32(5), int32(10), hello, selector]),
    );
    assert.equal(decoded.numberToSkip, 5);
    assert.equal(decoded.numberToReturn, 10);
    assert.deepEqual(decoded.returnFieldsSelector, selector);
  });

  const cases: [string, Buffer, number][] = [
    ['no flags', message(opCodes.query, [Buffer.from([0, 0])]), 18634],
    [
      'namespace without terminator',
      message(opCodes.query, [int32(0), Buffer.from('admin.$cmd')]),
      18633,
    ],
    [
      'no numberToReturn',
      message(opCodes.query, [int32(0), cstring('admin.$cmd'), int32(0)]),
      18634,
    ],
    [
      'no query document',
      message(opCodes.query, [int32(0), cstring('admin.$cmd'), int32(0), int32(-1)]),
      22,
    ],
    [
      'query runs past the message',
      message(opCodes.query, [
        int32(0),
        cstring('a.$cmd'),
        int32(0),
        int32(-1),
        hello.subarray(0, -1),
      ]),
      22,
    ],
    [
      'bad selector',
      message(opCodes.query, [
        int32(0),
        cstring('a.$cmd'),
        int32(0),
        int32(-1),
        hello,
        Buffer.from([7, 0, 0, 0, 0]),
      ]),
      22,
    ],
    [
      'bytes after the selector',
      message(opCodes.query, [
        int32(0),
        cstring('a.$cmd'),
        int32(0),
        int32(-1),
        hello,
        bson({}),
        byte(0),
      ]),
      17,
    ],
  ];
  for (const [name, frame, code] of cases) {
    void test(`${name} -> ${code}, answered with an error reply`, () => {
      const error = wireErrorOf(frame);
      assert.equal(error.code, code, error.message);
      assert.equal(error.replyTo?.opCode, opCodes.query);
    });
  }
});

void describe('OP_COMPRESSED', () => {
  const inner = opMsgBytes([uint32(0), byte(body), ping], { requestId: 42, responseTo: 0 });
  const innerBody = inner.subarray(16);

  function compressed(
    originalOpcode: number,
    size: number,
    compressorId: number,
    payload: Buffer,
  ): Buffer {
    return message(
      opCodes.compressed,
      [int32(originalOpcode), int32(size), byte(compressorId), payload],
      {
        requestId: 42,
      },
    );
  }

  void test('zlib', () => {
    const decoded = decodeMsg(compressed(opCodes.msg, innerBody.length, 2, deflateSync(innerBody)));
    assert.equal(decoded.compressorId, 2);
    assert.deepEqual(decoded.body, ping);
    assert.deepEqual(decoded.header, {
      messageLength: inner.length,
      requestId: 42,
      responseTo: 0,
      opCode: 2013,
    });
  });

  void test('noop', () => {
    const decoded = decodeMsg(compressed(opCodes.msg, innerBody.length, 0, innerBody));
    assert.equal(decoded.compressorId, 0);
    assert.deepEqual(decoded.body, ping);
  });

  void test('a checksum inside covers the uncompressed message', () => {
    const checked = withChecksum(opMsgBytes([uint32(1), byte(body), ping], { requestId: 42 }));
    const payload = checked.subarray(16);
    const decoded = decodeMsg(compressed(opCodes.msg, payload.length, 2, deflateSync(payload)));
    assert.equal(decoded.checksumPresent, true);
    const corrupted = Buffer.from(payload);
    corrupted[6]! ^= 1;
    const error = wireErrorOf(compressed(opCodes.msg, payload.length, 2, deflateSync(corrupted)));
    assert.equal(error.codeName, 'ChecksumMismatch');
  });

  void test('errors inside the inner message reply with the inner header', () => {
    const bad = opMsgBytes([uint32(0)], { requestId: 42 }).subarray(16);
    const error = wireErrorOf(compressed(opCodes.msg, bad.length, 2, deflateSync(bad)));
    assert.equal(error.code, 40587);
    assert.deepEqual(error.replyTo, {
      messageLength: 20,
      requestId: 42,
      responseTo: 0,
      opCode: 2013,
    });
  });

  const bomb = deflateSync(Buffer.alloc(10_000_000));
  const cases: [string, Buffer, number][] = [
    ['missing compression header', message(opCodes.compressed, [int32(opCodes.msg), int32(5)]), 2],
    ['snappy', compressed(opCodes.msg, innerBody.length, 1, innerBody), 1],
    ['zstd', compressed(opCodes.msg, innerBody.length, 3, innerBody), 1],
    ['unknown compressor 200', compressed(opCodes.msg, innerBody.length, 200, innerBody), 1],
    ['nested OP_COMPRESSED', compressed(opCodes.compressed, innerBody.length, 0, innerBody), 17],
    ['original opCode OP_REPLY', compressed(opCodes.reply, innerBody.length, 0, innerBody), 17],
    ['negative uncompressedSize', compressed(opCodes.msg, -1, 2, deflateSync(innerBody)), 2],
    [
      'uncompressedSize above the maximum',
      compressed(opCodes.msg, messageSizeMax, 2, deflateSync(innerBody)),
      2,
    ],
    [
      'uncompressedSize too small',
      compressed(opCodes.msg, innerBody.length - 1, 2, deflateSync(innerBody)),
      2,
    ],
    [
      'uncompressedSize too large',
      compressed(opCodes.msg, innerBody.length + 1, 2, deflateSync(innerBody)),
      2,
    ],
    ['zlib bomb claiming 100 bytes', compressed(opCodes.msg, 100, 2, bomb), 2],
    ['zlib bomb claiming 0 bytes', compressed(opCodes.msg, 0, 2, bomb), 2],
    [
      'corrupt zlib stream',
      compressed(opCodes.msg, innerBody.length, 2, Buffer.from('not zlib at all')),
      2,
    ],
    [
      'truncated zlib stream',
      compressed(opCodes.msg, innerBody.length, 2, deflateSync(innerBody).subarray(0, 8)),
      2,
    ],
    ['noop with the wrong size', compressed(opCodes.msg, innerBody.length + 3, 0, innerBody), 2],
  ];
  for (const [name, frame, code] of cases) {
    void test(`${name} -> ${code}, closes the connection`, () => {
      const error = wireErrorOf(frame);
      assert.equal(error.code, code, error.message);
      assert.equal(error.closesConnection, true);
    });
  }
});
