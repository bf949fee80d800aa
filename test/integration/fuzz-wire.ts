/**
 * Whole hostile messages for the wire fuzz and the socket exchange that checks the server's
 * answer. What a correct server must do with a byte stream is computed by walking it with
 * Shoal's own pure codec (src/wire), the same framer and decoder rules mongod follows: each
 * complete request gets a reply unless it is fire-and-forget, and a connection-fatal one
 * (bad length, bad compression, checksum) gets the connection closed.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { deflateSync, inflateSync } from 'node:zlib';
import { Binary, deserialize, serialize } from 'bson';
import type { Document } from 'bson';
import { crc32c } from '../../src/wire/crc32c.js';
import { decodeMessage } from '../../src/wire/decode-message.js';
import {
  encodeCompressed,
  encodeOpMsgRequest,
  encodeOpQueryRequest,
} from '../../src/wire/encode-message.js';
import { WireError } from '../../src/wire/wire-error.js';
import { headerSize, messageSizeMax, opCodes, opMsgFlags } from '../../src/wire/limits.js';
import { cstring, int32, mutate, randomDocument } from './fuzz-bson.js';
import type { Dice } from './fuzz-bson.js';
import { randomCommand } from './fuzz-commands.js';

/** Each request must be answered (or the connection closed) within this, and so must a FIN. */
const responseTimeoutMs = 10_000;

export interface FuzzCase {
  label: string;
  /** Written in order, with a short pause between them so they arrive as separate reads. */
  chunks: Buffer[];
}

export function frame(opCode: number, parts: Buffer[], requestId: number, lengthDelta = 0): Buffer {
  const content = Buffer.concat(parts);
  const header = Buffer.alloc(headerSize);
  header.writeInt32LE(headerSize + content.length + lengthDelta, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(opCode, 12);
  return Buffer.concat([header, content]);
}

/** An OP_MSG around `body`: sometimes fire-and-forget, checksummed, with sequences or bad flags. */
function opMsg(dice: Dice, body: Buffer, corrupt: number): Buffer {
  let flags = dice.chance(0.1) ? opMsgFlags.moreToCome : 0;
  if (dice.chance(corrupt))
    flags |= dice.pick([1 << 2, 1 << 15, opMsgFlags.exhaustAllowed, 0xffffffff]);
  const parts = [Buffer.from([0]), body];
  if (dice.chance(0.15)) {
    const identifier = cstring(
      dice.pick(['documents', 'updates', 'deletes', 'ops', 'nsInfo', '$db', '']),
    );
    const documents = Array.from({ length: dice.int(3) }, () =>
      randomDocument(dice, 1, corrupt, dice.int(4)),
    );
    const content = Buffer.concat([identifier, ...documents]);
    parts.push(
      Buffer.from([1]),
      int32(content.length + 4 + (dice.chance(corrupt) ? dice.pick([-1, 1, 100]) : 0)),
      content,
    );
  }
  const checksum = dice.chance(0.1) && (flags & opMsgFlags.checksumPresent) === 0;
  const flagBytes = Buffer.alloc(4);
  flagBytes.writeUInt32LE((flags | (checksum ? opMsgFlags.checksumPresent : 0)) >>> 0);
  const message = frame(opCodes.msg, [flagBytes, ...parts], dice.int(2 ** 31), checksum ? 4 : 0);
  if (!checksum) return message;
  const trailer = Buffer.alloc(4);
  trailer.writeUInt32LE(dice.chance(corrupt) ? dice.int(2 ** 32) : crc32c(message));
  return Buffer.concat([message, trailer]);
}

export function command(document: Document): Buffer {
  return Buffer.from(serialize({ ...document, $db: 'fuzz' }));
}

/** Valid requests the mutations start from, so they reach deep into the server. */
const seedMessages: Buffer[] = [
  encodeOpMsgRequest({
    requestId: 1,
    body: command({
      hello: 1,
      helloOk: true,
      client: { driver: { name: 'fuzz' } },
      compression: ['zlib'],
    }),
  }),
  encodeOpMsgRequest({ requestId: 2, body: command({ ping: 1 }), checksum: true }),
  encodeOpMsgRequest({
    requestId: 3,
    body: command({ insert: 'c', ordered: false }),
    sequences: [
      {
        identifier: 'documents',
        documents: [Buffer.from(serialize({ a: 1, b: [1, { c: 'x' }] }))],
      },
    ],
  }),
  encodeOpMsgRequest({
    requestId: 4,
    body: command({
      find: 'c',
      filter: { a: { $gt: 0 }, $expr: { $lt: ['$a', 5] } },
      sort: { a: -1 },
      projection: { b: 1 },
      limit: 3,
    }),
  }),
  encodeOpMsgRequest({
    requestId: 5,
    body: command({
      update: 'c',
      updates: [{ q: { a: 1 }, u: { $inc: { a: 1 }, $push: { b: 2 } }, multi: true }],
    }),
  }),
  encodeOpMsgRequest({
    requestId: 6,
    body: command({ delete: 'c', deletes: [{ q: { a: { $in: [7, 8] } }, limit: 0 }] }),
  }),
  encodeOpMsgRequest({
    requestId: 7,
    body: command({
      aggregate: 'c',
      pipeline: [{ $match: { a: 1 } }, { $group: { _id: '$a', n: { $sum: 1 } } }],
      cursor: {},
    }),
  }),
  encodeOpMsgRequest({
    requestId: 8,
    body: command({ createIndexes: 'c', indexes: [{ key: { a: 1 }, name: 'a_1' }] }),
  }),
  encodeOpQueryRequest({
    requestId: 9,
    fullCollectionName: 'admin.$cmd',
    query: Buffer.from(serialize({ isMaster: 1, client: { app: 'fuzz' } })),
  }),
  encodeCompressed(
    encodeOpMsgRequest({
      requestId: 10,
      body: command({ count: 'c', query: { a: { $exists: true } } }),
    }),
    2,
  ),
  encodeCompressed(
    encodeOpQueryRequest({
      requestId: 11,
      fullCollectionName: 'fuzz.$cmd',
      query: command({ ping: 1 }),
    }),
    0,
  ),
];

/** One byte-level change: flip, truncate, insert, delete, or overwrite an int32 with a length-like value. */
function firstName(message: Buffer): string {
  const start = headerSize + 4 + 1 + 4 + 1;
  return message.readInt32LE(12) === opCodes.msg
    ? message.toString('latin1', start, message.indexOf(0, start))
    : '(not OP_MSG)';
}

function randomBsonMessage(dice: Dice): Buffer {
  const corrupt = dice.chance(0.6) ? 0 : dice.pick([0.02, 0.1, 0.3]);
  const body = randomCommand(dice, corrupt);
  const kind = dice.int(20);
  if (kind === 0)
    return frame(
      opCodes.query,
      [
        int32(0),
        cstring(dice.pick(['fuzz.$cmd', 'admin.$cmd', 'fuzz.c', '.$cmd', 'x'])),
        int32(0),
        int32(-1),
        body,
      ],
      dice.int(2 ** 31),
    );
  const message = opMsg(dice, body, corrupt);
  return kind <= 3 ? encodeCompressed(message, dice.pick([0, 2])) : message;
}

// 10 MB of zeros deflates to about 10 KB: a bomb for an announced size that is far smaller.
export const zlibBomb = deflateSync(Buffer.alloc(10_000_000));

function badCompressed(dice: Dice): Buffer {
  const inner = dice.chance(0.5) ? dice.pick(seedMessages) : randomBsonMessage(dice);
  const original = inner.subarray(headerSize);
  const payload = dice.pick([
    () => deflateSync(original),
    () => deflateSync(original).subarray(0, dice.int(original.length)),
    () => mutate(dice, deflateSync(original)),
    () => dice.bytes(dice.int(64)),
    () => zlibBomb,
    () => encodeCompressed(encodeOpMsgRequest({ requestId: 1, body: command({ ping: 1 }) }), 2),
    () => original,
  ])();
  const originalOpcode = dice.pick([
    opCodes.msg,
    opCodes.msg,
    opCodes.query,
    opCodes.compressed,
    opCodes.reply,
    0,
    -1,
    2001,
  ]);
  const size = dice.pick([
    original.length,
    original.length,
    original.length + 1,
    original.length - 1,
    -1,
    0,
    2 ** 31 - 1,
    messageSizeMax - headerSize,
    10_000_000,
  ]);
  const compressor = dice.pick([0, 1, 2, 2, 3, 4, 255]);
  const header = Buffer.alloc(9);
  header.writeInt32LE(originalOpcode, 0);
  header.writeInt32LE(size, 4);
  header.writeUInt8(compressor, 8);
  return frame(opCodes.compressed, [header, payload], dice.int(2 ** 31));
}

function giantLength(dice: Dice): Buffer {
  if (dice.chance(0.05)) {
    // A real message over the 16 MiB document limit, whole and correctly framed.
    const big = command({
      insert: 'c',
      documents: [{ blob: new Binary(Buffer.alloc(16 * 1024 * 1024 + dice.int(32 * 1024))) }],
    });
    return encodeOpMsgRequest({ requestId: dice.int(2 ** 31), body: big });
  }
  const header = Buffer.alloc(headerSize);
  header.writeInt32LE(
    dice.pick([
      messageSizeMax + 1,
      2 ** 31 - 1,
      -1,
      -(2 ** 31),
      0,
      15,
      16,
      messageSizeMax,
      20_000_000,
    ]),
    0,
  );
  header.writeInt32LE(dice.pick([opCodes.msg, opCodes.query, opCodes.compressed, 0]), 12);
  return Buffer.concat([header, dice.bytes(dice.int(64))]);
}

/** Splits `bytes` at 1-7 random points (or truncates it): the server must reassemble or wait. */
function splitOrTruncated(dice: Dice): FuzzCase {
  const messages = Array.from({ length: 1 + dice.int(3) }, () =>
    dice.chance(0.5) ? dice.pick(seedMessages) : randomBsonMessage(dice),
  );
  const stream = Buffer.concat(messages);
  if (dice.chance(0.3))
    return { label: 'truncated', chunks: [stream.subarray(0, dice.int(stream.length))] };
  const cuts = Array.from({ length: 1 + dice.int(7) }, () => dice.int(stream.length)).sort(
    (a, b) => a - b,
  );
  const chunks: Buffer[] = [];
  let start = 0;
  for (const cut of [...cuts, stream.length]) {
    chunks.push(stream.subarray(start, cut));
    start = cut;
  }
  return {
    label: `split ${messages.length} messages into ${chunks.length}`,
    chunks: chunks.filter((chunk) => chunk.length > 0),
  };
}

export function nextCase(dice: Dice): FuzzCase {
  const roll = dice.int(100);
  if (roll < 20) return { label: 'mutated', chunks: [mutate(dice, dice.pick(seedMessages))] };
  if (roll < 25) {
    const opCode = dice.pick([
      opCodes.msg,
      opCodes.query,
      opCodes.compressed,
      opCodes.reply,
      2001,
      2002,
      2005,
      2006,
      2007,
      0,
      -1,
    ]);
    return {
      label: `random body, opCode ${opCode}`,
      chunks: [frame(opCode, [dice.bytes(dice.int(300))], dice.int(2 ** 31))],
    };
  }
  if (roll < 70) {
    const message = randomBsonMessage(dice);
    return { label: `random BSON command ${firstName(message)}`, chunks: [message] };
  }
  if (roll < 85) return splitOrTruncated(dice);
  if (roll < 95) return { label: 'bad OP_COMPRESSED', chunks: [badCompressed(dice)] };
  return { label: 'giant declared length', chunks: [giantLength(dice)] };
}

interface Expectation {
  /** Requests that must each get a reply unless the server closes the connection. */
  replies: number;
  /** The stream holds a connection-fatal message: the server must close without our FIN. */
  closes: boolean;
  requestIds: Set<number>;
}

/** Walks the stream the way the server's framer and codec do (src/wire is pure, so shareable). */
function expectationFor(stream: Buffer): Expectation {
  const expectation: Expectation = { replies: 0, closes: false, requestIds: new Set() };
  for (let offset = 0; stream.length - offset >= 4;) {
    const length = stream.readInt32LE(offset);
    if (length < headerSize || length > messageSizeMax) return { ...expectation, closes: true };
    if (stream.length - offset < length) break;
    const bytes = stream.subarray(offset, offset + length);
    offset += length;
    try {
      const message = decodeMessage(bytes);
      if (message.kind === 'msg' && message.moreToCome) continue;
      expectation.replies++;
      expectation.requestIds.add(message.header.requestId);
    } catch (error) {
      if (!(error instanceof WireError)) throw error;
      if (error.closesConnection) return { ...expectation, closes: true };
      if (error.replyTo === undefined) continue;
      expectation.replies++;
      expectation.requestIds.add(error.replyTo.requestId);
    }
  }
  return expectation;
}

/** The reply document of one reply frame; asserts the frame and the ok: 0 shape. */
function checkReply(bytes: Buffer, requestIds: Set<number>): Document {
  assert.ok(
    requestIds.has(bytes.readInt32LE(8)),
    `reply to a request never sent (${bytes.readInt32LE(8)})`,
  );
  let opCode = bytes.readInt32LE(12);
  let body = bytes.subarray(headerSize);
  if (opCode === opCodes.compressed) {
    opCode = body.readInt32LE(0);
    const size = body.readInt32LE(4);
    body = body[8] === 2 ? inflateSync(body.subarray(9)) : body.subarray(9);
    assert.equal(body.length, size, 'compressed reply size');
  }
  assert.ok(opCode === opCodes.msg || opCode === opCodes.reply, `reply opCode ${opCode}`);
  const document = opCode === opCodes.msg ? body.subarray(5) : body.subarray(20);
  if (opCode === opCodes.msg)
    assert.deepEqual(
      [body.readUInt32LE(0), body[4]],
      [0, 0],
      'OP_MSG reply flags and section kind',
    );
  else assert.equal(body.readInt32LE(16), 1, 'OP_REPLY numberReturned');
  assert.equal(document.readInt32LE(0), document.length, 'the reply is exactly one BSON document');
  const reply = deserialize(document, { bsonRegExp: true });
  assert.equal(typeof reply.ok, 'number', 'ok is a number');
  if (reply.ok === 0) {
    assert.equal(typeof reply.code, 'number', 'ok: 0 has a numeric code');
    assert.ok(
      typeof reply.codeName === 'string' && reply.codeName.length > 0,
      'ok: 0 has a codeName',
    );
    assert.equal(typeof reply.errmsg, 'string', 'ok: 0 has an errmsg');
  }
  return reply;
}

/** Sends a case on a fresh connection; resolves with the replies once the server has closed it. */
export async function exchange(port: number, fuzzCase: FuzzCase): Promise<Document[]> {
  const expectation = expectationFor(Buffer.concat(fuzzCase.chunks));
  const socket = connect({ host: '127.0.0.1', port });
  socket.setNoDelay(true);
  const frames: Buffer[] = [];
  let pending = Buffer.alloc(0);
  let closed = false;
  let badLength: number | undefined;
  let wake = (): void => undefined;
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (
      pending.length >= 4 &&
      badLength === undefined &&
      pending.length >= pending.readInt32LE(0)
    ) {
      const length = pending.readInt32LE(0);
      if (length < headerSize || length > messageSizeMax) badLength = length;
      else frames.push(pending.subarray(0, length));
      pending = pending.subarray(length);
    }
    wake();
  });
  socket.on('error', () => undefined);
  socket.on('close', () => {
    closed = true;
    wake();
  });
  const until = (condition: () => boolean, what: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `${what} within ${responseTimeoutMs} ms (${frames.length}/${expectation.replies} replies)`,
            ),
          ),
        responseTimeoutMs,
      );
      wake = () => condition() && (clearTimeout(timer), resolve());
      wake();
    });
  await new Promise((resolve) => socket.once('connect', resolve));
  for (const [index, chunk] of fuzzCase.chunks.entries()) {
    if (closed) break;
    socket.write(chunk);
    if (index < fuzzCase.chunks.length - 1) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  try {
    await until(
      () => closed || (!expectation.closes && frames.length >= expectation.replies),
      expectation.closes ? 'the server did not close the connection' : 'no reply',
    );
    socket.end();
    await until(() => closed, 'the connection stayed open after our FIN');
  } finally {
    socket.destroy();
  }
  assert.equal(badLength, undefined, 'reply frame length');
  assert.ok(
    frames.length <= expectation.replies,
    `${frames.length} replies to ${expectation.replies} requests`,
  );
  return frames.map((bytes) => checkReply(bytes, expectation.requestIds));
}
