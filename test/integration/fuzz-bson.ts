/**
 * Random BSON for the wire fuzz (fuzz.test.ts), written by hand so it can lie: every type
 * byte, lengths that overrun or undershoot, invalid UTF-8, duplicate keys and nesting far past
 * any limit. `corrupt` is the chance of each kind of lie, so one generator yields both valid
 * values (to reach command parsing) and malformed ones (to test the BSON validator).
 */
import { Decimal128 } from 'bson';
import type { SeededRandom } from '../../src/platform/random.js';

/** Whitespace-separated words, so long pools stay readable under prettier. */
export function list(text: string): string[] {
  return text.split(/\s+/).filter((word) => word.length > 0);
}

export class Dice {
  constructor(readonly random: SeededRandom) {}
  int(bound: number): number {
    return Math.floor(this.random.next() * bound);
  }
  chance(probability: number): boolean {
    return this.random.next() < probability;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  bytes(length: number): Buffer {
    return this.random.bytes(length);
  }
}

export function int32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32LE(value | 0);
  return bytes;
}

export function cstring(bytes: Buffer | string): Buffer {
  return Buffer.concat([Buffer.from(bytes), Buffer.from([0])]);
}

export function documentBytes(elements: Buffer[], sizeDelta = 0): Buffer {
  const content = Buffer.concat(elements);
  return Buffer.concat([int32(content.length + 5 + sizeDelta), content, Buffer.from([0])]);
}

export function element(type: number, name: Buffer | string, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type]), cstring(name), payload]);
}

/** A chain of `depth` nested documents or arrays, written in one pass (no quadratic concat). */
export function nested(depth: number, type: 3 | 4): Buffer {
  const bytes = Buffer.alloc(5 + 8 * depth);
  let offset = 0;
  for (let level = 0; level < depth; level++) {
    bytes.writeInt32LE(5 + 8 * (depth - level), offset);
    bytes[offset + 4] = type;
    bytes[offset + 5] = type === 3 ? 0x61 : 0x30;
    offset += 7;
  }
  bytes.writeInt32LE(5, offset);
  return bytes;
}

const invalidUtf8 = [
  [0xc3, 0x28],
  [0xed, 0xa0, 0x80],
  [0xc0, 0x80],
  [0xff],
  [0xf4, 0x90, 0x80, 0x80],
  [0xe2, 0x82],
];
export const words = [
  '',
  ...list(`
  c c1 c2 fuzz a b a.b a.0 $a _id x a.$ a.$[] a.$[i] a..b a.1500001 a.99999999999 $$ROOT
  $$CURRENT $a.b system.views system.profile admin local config fuzz.c ünï 日本 😀 text
  2dsphere hashed i
`),
];

function stringBytes(dice: Dice, corrupt: number): Buffer {
  if (dice.chance(corrupt)) {
    const bytes = dice.chance(0.5)
      ? Buffer.from(dice.pick(invalidUtf8))
      : Buffer.from(Array.from({ length: dice.int(12) }, () => 1 + dice.int(255)));
    return Buffer.concat([Buffer.from(dice.pick(words)), bytes]);
  }
  return Buffer.from(
    dice.chance(0.05) ? 'a'.repeat(dice.pick([100, 1000, 70_000])) : dice.pick(words),
  );
}

/** A string payload (int32 length, bytes, NUL), lying about its length when `corrupt`. */
function stringPayload(dice: Dice, corrupt: number): Buffer {
  const text = stringBytes(dice, corrupt);
  if (!dice.chance(corrupt)) return Buffer.concat([int32(text.length + 1), text, Buffer.from([0])]);
  const length = dice.pick([-1, 0, 1, text.length, text.length + 2, 2 ** 31 - 1, -(2 ** 31)]);
  return Buffer.concat([
    int32(length),
    text,
    dice.chance(0.5) ? Buffer.from([0]) : Buffer.alloc(0),
  ]);
}

const int32Values = [0, 1, -1, 2, 100, 2 ** 31 - 1, -(2 ** 31), 16_777_216, 48_000_000];
const int64Values = [0n, 1n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n, 100_001n];
const doubleValues = [NaN, Infinity, -Infinity, -0, 0.5, 1e308, 5e-324, 2 ** 63, -1, 1.5];
const decimalValues = list('NaN -Infinity 1E+6144 -0E-6176 0.1 9999999999999999999999999999999999');

export function numberPayload(dice: Dice): [number, Buffer] {
  const bytes = Buffer.alloc(8);
  switch (dice.int(4)) {
    case 0:
      return [0x10, int32(dice.chance(0.5) ? dice.pick(int32Values) : dice.bytes(4).readInt32LE())];
    case 1:
      bytes.writeBigInt64LE(
        dice.chance(0.5) ? dice.pick(int64Values) : dice.bytes(8).readBigInt64LE(),
      );
      return [0x12, bytes];
    case 2:
      bytes.writeDoubleLE(
        dice.chance(0.7) ? dice.pick(doubleValues) : dice.bytes(8).readDoubleLE(),
      );
      return [0x01, bytes];
    default:
      return [
        0x13,
        dice.chance(0.6)
          ? Buffer.from(Decimal128.fromString(dice.pick(decimalValues)).bytes)
          : dice.bytes(16),
      ];
  }
}

/** Any BSON value as [type byte, payload]; `corrupt` is the chance of each kind of lie. */
export function randomValue(dice: Dice, depth: number, corrupt: number): [number, Buffer] {
  const choice = dice.int(depth > 3 ? 17 : 20);
  switch (choice) {
    case 0:
    case 1:
    case 2:
    case 3:
      return numberPayload(dice);
    case 4:
    case 5:
      return [0x02, stringPayload(dice, corrupt)];
    case 6: {
      const data = dice.bytes(dice.pick([0, 1, 15, 16, 17]));
      const subtype = dice.chance(corrupt)
        ? dice.pick([2, 9, 0x0a, 0x7f, 0xff])
        : dice.pick([0, 1, 3, 4, 5, 6, 7, 8, 0x80]);
      const length = dice.chance(corrupt)
        ? dice.pick([-1, data.length + 1, 2 ** 31 - 1])
        : data.length;
      return [0x05, Buffer.concat([int32(length), Buffer.from([subtype]), data])];
    }
    case 7:
      return [0x07, dice.bytes(12)];
    case 8:
      return [0x08, Buffer.from([dice.chance(corrupt) ? dice.int(256) : dice.int(2)])];
    case 9:
      return [0x09, dice.bytes(8)];
    case 10:
      return [dice.pick([0x0a, 0x06, 0xff, 0x7f]), Buffer.alloc(0)];
    case 11:
      return [
        0x0b,
        Buffer.concat([
          cstring(dice.pick(['(a+)+$', '[', 'a', '\\', '(?<n>x)', '^ü'])),
          cstring(
            dice.chance(corrupt)
              ? dice.pick(['zq', 'xi', 'ii'])
              : dice.pick(['', 'i', 'imsx', 'u', 's']),
          ),
        ]),
      ];
    case 12:
      return [dice.pick([0x0d, 0x0e]), stringPayload(dice, corrupt)];
    case 13: {
      const code = stringPayload(dice, corrupt);
      const scope = documentBytes([]);
      const total = dice.chance(corrupt)
        ? dice.pick([0, 14, 2 ** 30])
        : 4 + code.length + scope.length;
      return [0x0f, Buffer.concat([int32(total), code, scope])];
    }
    case 14:
      return [0x11, dice.bytes(8)];
    case 15:
      return [0x0c, Buffer.concat([stringPayload(dice, corrupt), dice.bytes(12)])];
    case 16:
      // A type byte MongoDB never assigned, with a few bytes behind it.
      if (dice.chance(corrupt))
        return [dice.pick([0x00, 0x14, 0x15, 0x20, 0x7e, 0x80, 0xfe]), dice.bytes(dice.int(9))];
      return numberPayload(dice);
    case 17:
      return [dice.pick([3, 4] as const), randomDocument(dice, depth + 1, corrupt, dice.int(4))];
    case 18:
      return [0x04, randomArray(dice, depth + 1, corrupt)];
    default: {
      const type = dice.pick([3, 4] as const);
      return [type, nested(dice.pick([20, 99, 100, 101, 150, 199, 200, 201, 1000, 20_000]), type)];
    }
  }
}

function fieldName(dice: Dice, corrupt: number): Buffer {
  if (dice.chance(corrupt)) return Buffer.from(dice.pick(invalidUtf8));
  return Buffer.from(dice.pick(words));
}

export function randomDocument(dice: Dice, depth: number, corrupt: number, count: number): Buffer {
  const elements: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const [type, payload] = randomValue(dice, depth, corrupt);
    elements.push(element(type, fieldName(dice, corrupt), payload));
    // Duplicate keys: the same name again with another value.
    if (dice.chance(0.05)) elements.push(elements[elements.length - 1]!);
  }
  const delta = dice.chance(corrupt) ? dice.pick([-1, 1, -5, 1000, -(2 ** 31)]) : 0;
  return documentBytes(elements, delta);
}

function randomArray(dice: Dice, depth: number, corrupt: number): Buffer {
  const elements: Buffer[] = [];
  for (let i = dice.int(4); i > 0; i--) {
    const [type, payload] = randomValue(dice, depth, corrupt);
    elements.push(
      element(
        type,
        dice.chance(corrupt) ? dice.pick(['7', 'x', '']) : String(elements.length),
        payload,
      ),
    );
  }
  return documentBytes(elements);
}

export function mutateOnce(dice: Dice, bytes: Buffer): Buffer {
  const position = dice.int(bytes.length + 1);
  switch (dice.int(5)) {
    case 0: {
      if (position === bytes.length) return bytes;
      const copy = Buffer.from(bytes);
      copy[position] = (copy[position] ?? 0) ^ (1 + dice.int(255));
      return copy;
    }
    case 1:
      return bytes.subarray(0, position);
    case 2:
      return Buffer.concat([
        bytes.subarray(0, position),
        dice.bytes(1 + dice.int(8)),
        bytes.subarray(position),
      ]);
    case 3:
      return Buffer.concat([
        bytes.subarray(0, position),
        bytes.subarray(position + 1 + dice.int(8)),
      ]);
    default: {
      if (position + 4 > bytes.length) return bytes;
      const copy = Buffer.from(bytes);
      copy.writeInt32LE(
        dice.pick([-1, 0, 4, 5, 16, 2 ** 31 - 1, -(2 ** 31), 48_000_000]),
        position,
      );
      return copy;
    }
  }
}

export function mutate(dice: Dice, bytes: Buffer): Buffer {
  let result = bytes;
  for (let count = 1 + dice.int(4); count > 0; count--) result = mutateOnce(dice, result);
  // Keep the header's length truthful half the time, so mutations get past the framer.
  if (result.length >= 4 && dice.chance(0.5)) {
    result = Buffer.from(result);
    result.writeInt32LE(result.length, 0);
  }
  return result;
}

/** The command name, for labels: the first element name after the OP_MSG header and flags. */
