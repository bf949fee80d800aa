/**
 * DoubleDoubleSummation (src/mongo/util/summation.{h,cpp}): a compensated sum kept as an
 * unevaluated pair of doubles, exact for long runs of 64-bit integers, so $sum and $avg of
 * integers and doubles give the server's results bit for bit.
 */
import type { Decimal128 } from 'bson';
import { decimalAdd } from '../expressions/decimal-bridge.js';
import { doubleToDecimal } from '../expressions/number-format.js';

/** llround: nearest integer, halfway cases away from zero. */
function llround(value: number): number {
  return value < 0 ? -Math.round(-value) : Math.round(value);
}

export class DoubleDoubleSummation {
  private sum = 0;
  private addend = 0;
  /** A plain sum, returned when the compensated sum is NaN (infinities of opposite sign). */
  private special = 0;

  addDouble(input: number): void {
    this.special += input;
    // Fast2Sum of (input, addend), then 2Sum of (sum, x).
    let x = input;
    const s1 = x + this.addend;
    const t1 = this.addend - (s1 - x);
    x = s1;
    this.addend = t1;
    const s = this.sum + x;
    const aPrime = s - x;
    const bPrime = s - aPrime;
    const t = this.sum - aPrime + (x - bPrime);
    this.sum = s;
    this.addend += t;
  }

  /** Splits the integer into two doubles so the sum stays exact. */
  addLong(value: bigint): void {
    const high = (value / 4294967296n) * 4294967296n;
    this.addDouble(Number(value - high));
    this.addDouble(Number(high));
  }

  addInt(value: number): void {
    this.addDouble(value);
  }

  getDouble(): number {
    return Number.isNaN(this.sum) ? this.special : this.sum;
  }

  fitsLong(): boolean {
    const max = 2 ** 63;
    if (this.sum > -max && this.sum < max) return true;
    if (this.sum === max) return this.addend < -0.5;
    if (this.sum === -max) return this.addend >= -0.5;
    return false;
  }

  /** The sum rounded to the nearest integer (callers check fitsLong first). */
  getLong(): bigint {
    const rounded = llround(this.sum);
    return BigInt(rounded) + BigInt(llround(this.sum - rounded + this.addend));
  }

  /** getDecimal: both parts converted with 34 digits and added in decimal. */
  getDecimal(): Decimal128 {
    if (!Number.isFinite(this.sum)) return doubleToDecimal(this.special, 34);
    return decimalAdd(doubleToDecimal(this.sum, 34), doubleToDecimal(this.addend, 34));
  }
}
