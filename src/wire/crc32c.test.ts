import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { AssertionError } from '../util/assert.js';
import { crc32c } from './crc32c.js';
import { crc32cReference } from './test-fixtures.js';

function ascending(count: number): Uint8Array {
  return Uint8Array.from({ length: count }, (_, index) => index);
}

void describe('crc32c', () => {
  // "123456789" is the standard check value; the 32-byte vectors are RFC 3720 appendix B.4.
  const vectors: [string, Uint8Array, number][] = [
    ['empty', new Uint8Array(0), 0],
    ['"123456789"', Buffer.from('123456789'), 0xe3069283],
    ['32 zero bytes', new Uint8Array(32), 0x8a9136aa],
    ['32 0xFF bytes', new Uint8Array(32).fill(0xff), 0x62a8ab43],
    ['32 ascending bytes', ascending(32), 0x46dd794e],
    ['32 descending bytes', ascending(32).reverse(), 0x113fdb5c],
  ];
  for (const [name, input, expected] of vectors) {
    void test(`known vector: ${name}`, () => {
      assert.equal(crc32c(input), expected);
      assert.equal(crc32cReference(input), expected);
    });
  }

  void test('an iSCSI SCSI Read (10) command PDU (RFC 3720 B.4)', () => {
    const pdu = Buffer.from(
      (
        '01c00000 00000000 00000000 00000000 14000000 00000400' +
        '00000014 00000018 28000000 00000000 02000000 00000000'
      ).replaceAll(' ', ''),
      'hex',
    );
    assert.equal(pdu.length, 48);
    // The same expectation LevelDB's and RocksDB's crc32c tests use for this PDU.
    assert.equal(crc32c(pdu), 0xd9963a56);
  });

  void test('matches the bit-at-a-time reference on random input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        assert.equal(crc32c(bytes), crc32cReference(bytes));
      }),
    );
  });

  void test('continuing a running checksum equals checksumming the whole', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(), (bytes, cutSeed) => {
        const cut = bytes.length === 0 ? 0 : cutSeed % (bytes.length + 1);
        const running = crc32c(bytes.subarray(cut), crc32c(bytes.subarray(0, cut)));
        assert.equal(running, crc32c(bytes));
      }),
    );
  });

  void test('a range checksums only that range', () => {
    const bytes = Buffer.from('xx123456789yy');
    assert.equal(crc32c(bytes, 0, 2, 11), 0xe3069283);
  });

  void test('a range outside the buffer is a programming error', () => {
    assert.throws(() => crc32c(new Uint8Array(4), 0, 0, 5), AssertionError);
    assert.throws(() => crc32c(new Uint8Array(4), 0, 3, 2), AssertionError);
  });
});
