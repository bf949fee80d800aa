/**
 * Real bytes: requests built by the official driver's own message classes
 * (mongodb/lib/cmap/commands.js, the code every Node client runs) must decode exactly.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deserialize } from 'bson';
import type { Document } from 'bson';
import { decodeMessage } from './decode-message.js';
import type { OpMsg } from './decode-message.js';
import { driverBytes, loadDriverCommands } from './test-fixtures.js';

const driver = await loadDriverCommands();

function asMsg(frame: Buffer): OpMsg {
  const decoded = decodeMessage(frame);
  assert.equal(decoded.kind, 'msg');
  return decoded;
}

function documentsOf(decoded: OpMsg): [string, Document[]][] {
  return decoded.sequences.map((s) => [s.identifier, s.documents.map((d) => deserialize(d))]);
}

void describe('driver requests', () => {
  void test('the OP_QUERY legacy hello every connection opens with', () => {
    const hello = {
      ismaster: 1,
      helloOk: true,
      client: { driver: { name: 'nodejs', version: '7.9.0' }, os: { type: 'Linux' } },
      compression: ['zlib'],
    };
    const bytes = driverBytes(
      new driver.OpQueryRequest('admin', hello, { numberToReturn: -1, requestId: 1 }),
    );
    const decoded = decodeMessage(bytes);
    assert.equal(decoded.kind, 'query');
    assert.equal(decoded.fullCollectionName, 'admin.$cmd');
    assert.equal(decoded.numberToReturn, -1);
    assert.equal(decoded.header.requestId, 1);
    assert.deepEqual(deserialize(decoded.query), hello);
  });

  void test('a plain command carries $db in the body', () => {
    const decoded = asMsg(
      driverBytes(new driver.OpMsgRequest('test', { ping: 1 }, { requestId: 9 })),
    );
    assert.deepEqual(deserialize(decoded.body), { ping: 1, $db: 'test' });
    assert.equal(decoded.flags, 0);
    assert.equal(decoded.header.requestId, 9);
  });

  void test('insertMany sends its documents as a kind-1 sequence', () => {
    const documents = [{ _id: 1 }, { _id: 2, tags: ['a'] }];
    const command = {
      insert: 'c',
      ordered: true,
      documents: new driver.DocumentSequence('documents', documents),
    };
    const decoded = asMsg(driverBytes(new driver.OpMsgRequest('test', command, {})));
    assert.deepEqual(deserialize(decoded.body), { insert: 'c', ordered: true, $db: 'test' });
    assert.deepEqual(documentsOf(decoded), [['documents', documents]]);
  });

  void test('client bulkWrite sends two sequences, ops and nsInfo', () => {
    const ops = [
      { insert: 0, document: { a: 1 } },
      { delete: 0, filter: {}, multi: false },
    ];
    const nsInfo = [{ ns: 'test.c' }];
    const command = {
      bulkWrite: 1,
      ops: new driver.DocumentSequence('ops', ops),
      nsInfo: new driver.DocumentSequence('nsInfo', nsInfo),
    };
    const decoded = asMsg(driverBytes(new driver.OpMsgRequest('admin', command, {})));
    assert.deepEqual(documentsOf(decoded), [
      ['ops', ops],
      ['nsInfo', nsInfo],
    ]);
  });

  void test('a w:0 write sets moreToCome', () => {
    const command = { insert: 'c', documents: [{ a: 1 }], writeConcern: { w: 0 } };
    const decoded = asMsg(driverBytes(new driver.OpMsgRequest('test', command, {})));
    assert.equal(decoded.moreToCome, true);
    assert.equal(decoded.exhaustAllowed, false);
  });

  void test('streaming hello sets exhaustAllowed', () => {
    const command = { hello: 1, maxAwaitTimeMS: 10000 };
    const request = new driver.OpMsgRequest('admin', command, { exhaustAllowed: true });
    const decoded = asMsg(driverBytes(request));
    assert.equal(decoded.exhaustAllowed, true);
    assert.equal(decoded.flags, 1 << 16);
  });

  // The driver compresses only with a real compressor (zlib here; snappy and zstd are native
  // add-ons Shoal does not advertise), so noop is covered by the hand-built tests.
  for (const zlibCompressionLevel of [1, 9]) {
    void test(`OP_COMPRESSED from the driver (zlib level ${zlibCompressionLevel})`, async () => {
      const command = { find: 'c', filter: { a: 'x'.repeat(200) } };
      const inner = new driver.OpMsgRequest('test', command, { requestId: 31 });
      const compressed = new driver.OpCompressedRequest(inner, {
        agreedCompressor: 'zlib',
        zlibCompressionLevel,
      });
      const decoded = asMsg(Buffer.concat(await compressed.toBin()));
      assert.equal(decoded.compressorId, 2);
      assert.equal(decoded.header.requestId, 31);
      assert.deepEqual(deserialize(decoded.body), { ...command, $db: 'test' });
    });
  }
});
