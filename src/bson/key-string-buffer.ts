/**
 * Byte and bit buffers for KeyString. Encoding runs for every index entry of every write,
 * so the writers are reused scratch space (encoding is synchronous and never re-entered)
 * and only the finished key is copied out.
 */
import { assert } from '../util/assert.js';

/** Type bytes, in MongoDB's canonical type order; 0x00 ends documents and arrays. */
export const typeByte = {
  end: 0x00,
  minKey: 0x0a,
  undefined: 0x0f,
  null: 0x14,
  // Numbers use 0x1e..0x23 (numberClass): NaN, -Infinity, negative, zero, positive, +Infinity.
  string: 0x3c,
  object: 0x46,
  array: 0x50,
  binData: 0x5a,
  objectId: 0x64,
  false: 0x6e,
  true: 0x6f,
  date: 0x78,
  timestamp: 0x82,
  regex: 0x8c,
  code: 0xa0,
  codeWithScope: 0xaa,
  maxKey: 0xf0,
} as const;

/** Symbol vs string, recorded in TypeBits. */
export const stringBit = 0;
export const symbolBit = 1;

/** Grows a scratch buffer; `finish` copies the written bytes into a fresh Buffer. */
export class KeyWriter {
  private buffer = Buffer.allocUnsafe(1024);
  length = 0;

  reset(): void {
    this.length = 0;
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.length + bytes) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }

  byte(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  uint16(value: number): void {
    assert(value >= 0 && value <= 0xffff, 'uint16 out of range');
    this.reserve(2);
    this.buffer.writeUInt16BE(value, this.length);
    this.length += 2;
  }

  uint32(value: number): void {
    this.reserve(4);
    this.buffer.writeUInt32BE(value >>> 0, this.length);
    this.length += 4;
  }

  bytes(value: Uint8Array): void {
    this.reserve(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
  }

  /**
   * A string as UTF-8 (whose byte order is code point order) terminated by 0x00. The
   * bytes 0x00 and 0x01 are escaped as 0x01 0x01 and 0x01 0x02, so 0x00 only ever ends a
   * string: the encoding is prefix-free and a shorter string sorts first.
   */
  string(value: string): void {
    if (!value.includes('\u0000') && !value.includes('\u0001')) {
      this.reserve(value.length * 3 + 1);
      this.length += this.buffer.write(value, this.length, 'utf8');
      this.buffer[this.length++] = 0;
      return;
    }
    for (const byte of Buffer.from(value, 'utf8')) {
      if (byte <= 1) {
        this.byte(1);
        this.byte(byte + 1);
      } else {
        this.byte(byte);
      }
    }
    this.byte(0);
  }

  /** Inverts the bytes from `start` on: how a descending field reverses its order. */
  invertFrom(start: number): void {
    for (let i = start; i < this.length; i++) this.buffer[i] = ~(this.buffer[i] as number) & 0xff;
  }

  finish(): Buffer {
    const key = Buffer.allocUnsafe(this.length);
    // For the short keys that dominate, a loop beats Buffer#copy's call overhead.
    if (this.length <= 64) for (let i = 0; i < this.length; i++) key[i] = this.buffer[i] as number;
    else this.buffer.copy(key, 0, 0, this.length);
    return key;
  }
}

/** Reads a key, un-inverting descending fields through `mask` (0x00 or 0xff). */
export class KeyReader {
  offset = 0;
  mask = 0;

  constructor(private readonly key: Uint8Array) {}

  byte(): number {
    const value = this.key[this.offset++];
    assert(value !== undefined, 'KeyString ended early');
    return value ^ this.mask;
  }

  uint16(): number {
    return (this.byte() << 8) | this.byte();
  }

  uint32(): number {
    return ((this.byte() << 24) | (this.byte() << 16) | (this.byte() << 8) | this.byte()) >>> 0;
  }

  bytes(length: number): Uint8Array {
    assert(this.offset + length <= this.key.length, 'KeyString ended early');
    const out = this.key.slice(this.offset, this.offset + length);
    this.offset += length;
    if (this.mask !== 0)
      for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) ^ this.mask;
    return out;
  }

  string(): string {
    const bytes: number[] = [];
    for (let byte = this.byte(); byte !== 0; byte = this.byte()) {
      if (byte === 1) {
        const escaped = this.byte();
        assert(escaped === 1 || escaped === 2, 'bad KeyString string escape');
        bytes.push(escaped - 1);
      } else {
        bytes.push(byte);
      }
    }
    return Buffer.from(bytes).toString('utf8');
  }

  get done(): boolean {
    return this.offset >= this.key.length;
  }
}

/**
 * TypeBits: what the key bytes leave out (Int32 vs Int64 vs Double vs Decimal128, the
 * exponent of a decimal, -0, symbol vs string), as a bit stream in the order the values
 * were encoded. Trailing zero bytes are dropped, so keys of Int32s and strings only have
 * empty TypeBits.
 */
export class TypeBitsWriter {
  private readonly bytes: number[] = [];
  private bitCount = 0;

  reset(): void {
    this.bitCount = 0;
  }

  bits(value: number, count: number): void {
    assert(count > 0 && count <= 24 && value >= 0 && value < 2 ** count, 'bad TypeBits field');
    for (let bit = count - 1; bit >= 0; bit--) {
      const index = this.bitCount >> 3;
      const offset = this.bitCount & 7;
      const current = offset === 0 ? 0 : (this.bytes[index] as number);
      this.bytes[index] = current | (((value >> bit) & 1) << (7 - offset));
      this.bitCount += 1;
    }
  }

  finish(): Buffer {
    let length = (this.bitCount + 7) >> 3;
    while (length > 0 && this.bytes[length - 1] === 0) length -= 1;
    // Most keys have no TypeBits; a zero-length Buffer has nothing to mutate, so share one.
    if (length === 0) return emptyTypeBits;
    const typeBits = Buffer.allocUnsafe(length);
    for (let i = 0; i < length; i++) typeBits[i] = this.bytes[i] as number;
    return typeBits;
  }
}

const emptyTypeBits = Buffer.alloc(0);

export class TypeBitsReader {
  private bitOffset = 0;

  constructor(private readonly typeBits: Uint8Array) {}

  bits(count: number): number {
    let value = 0;
    for (let i = 0; i < count; i++) {
      const byte = this.typeBits[this.bitOffset >> 3] ?? 0;
      value = (value << 1) | ((byte >> (7 - (this.bitOffset & 7))) & 1);
      this.bitOffset += 1;
    }
    return value;
  }
}
