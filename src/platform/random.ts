/**
 * Randomness, injected: a seeded generator for the simulator and property tests, and
 * the system source for production. Nothing else calls Math.random or crypto directly.
 */
import { randomBytes as cryptoRandomBytes } from 'node:crypto';

export interface Random {
  /** A float in [0, 1). */
  next(): number;
  bytes(length: number): Buffer;
}

export const systemRandom: Random = {
  next: () => Math.random(),
  bytes: (length) => cryptoRandomBytes(length),
};

/** xoshiro128** seeded by splitmix32: small, fast and reproducible from one number. */
export class SeededRandom implements Random {
  private state: Uint32Array;

  constructor(readonly seed: number) {
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.state = new Uint32Array([next(), next(), next(), next()]);
  }

  private nextUint32(): number {
    const s = this.state;
    const result = Math.imul(rotl(Math.imul(s[1] as number, 5), 7), 9) >>> 0;
    const t = ((s[1] as number) << 9) >>> 0;
    s[2] = (s[2] as number) ^ (s[0] as number);
    s[3] = (s[3] as number) ^ (s[1] as number);
    s[1] = (s[1] as number) ^ s[2];
    s[0] = (s[0] as number) ^ s[3];
    s[2] = s[2] ^ t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  next(): number {
    return this.nextUint32() / 2 ** 32;
  }

  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i++) out[i] = this.nextUint32() & 0xff;
    return out;
  }
}

function rotl(value: number, shift: number): number {
  return ((value << shift) | (value >>> (32 - shift))) >>> 0;
}
