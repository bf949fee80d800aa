/**
 * The seam to Decimal128 arithmetic in src/bson/decimal.ts, which is being written in
 * parallel. Functions are looked up by name at load time, so this folder compiles against the
 * stub and picks up the real implementation once it is merged; until then decimal arithmetic
 * fails with a clear NotImplemented error instead of a wrong answer.
 */
import { Decimal128 } from 'bson';
import * as decimalModule from '../../bson/decimal.js';
import { MongoError } from '../../errors/mongo-error.js';

type Binary = (a: Decimal128, b: Decimal128) => Decimal128;
type Unary = (a: Decimal128) => Decimal128;

/**
 * Transcendental functions may live in a sibling module; it is optional, so it is loaded by a
 * computed specifier that the compiler does not resolve.
 */
const optionalModules = ['./decimal-math.js'];

async function loadOptional(): Promise<Record<string, unknown>> {
  const merged: Record<string, unknown> = {};
  for (const name of optionalModules) {
    const specifier = new URL(`../../bson/${name.slice(2)}`, import.meta.url).href;
    try {
      Object.assign(merged, (await import(specifier)) as Record<string, unknown>);
    } catch {
      // Not present in this build.
    }
  }
  return merged;
}

const exported: Record<string, unknown> = {
  ...(await loadOptional()),
  ...(decimalModule as unknown as Record<string, unknown>),
};

function find<T>(...names: string[]): T | undefined {
  for (const name of names) {
    const candidate = exported[name];
    if (typeof candidate === 'function') return candidate as T;
  }
  return undefined;
}

/** Whether a function works, rather than being the stub that throws "not implemented". */
function working<T extends (...args: Decimal128[]) => Decimal128>(
  fn: T | undefined,
  arity: number,
): T | undefined {
  if (fn === undefined) return undefined;
  try {
    const one = Decimal128.fromString('1');
    fn(...new Array<Decimal128>(arity).fill(one));
    return fn;
  } catch {
    return undefined;
  }
}

const add = working(find<Binary>('decimalAdd'), 2);
const subtract = working(find<Binary>('decimalSubtract'), 2);
const multiply = working(find<Binary>('decimalMultiply'), 2);
const divide = working(find<Binary>('decimalDivide'), 2);
const modulo = working(find<Binary>('decimalMod', 'decimalModulo'), 2);
const power = working(find<Binary>('decimalPow', 'decimalPower'), 2);
const squareRoot = working(find<Unary>('decimalSqrt', 'decimalSquareRoot'), 1);
const exponential = working(find<Unary>('decimalExp', 'decimalExponential'), 1);
const naturalLog = working(find<Unary>('decimalLn', 'decimalLog', 'decimalLogarithm'), 1);
const log10 = working(find<Unary>('decimalLog10'), 1);

/** True once src/bson/decimal.ts provides working arithmetic; tests skip decimal cases until then. */
export const decimalArithmeticAvailable = add !== undefined && multiply !== undefined;

function missing(operation: string): MongoError {
  return new MongoError(
    'NotImplemented',
    `Decimal128 ${operation} is not available yet in Shoal (src/bson/decimal.ts)`,
  );
}

export function decimalAdd(a: Decimal128, b: Decimal128): Decimal128 {
  if (add === undefined) throw missing('addition');
  return add(a, b);
}

export function decimalSubtract(a: Decimal128, b: Decimal128): Decimal128 {
  if (subtract !== undefined) return subtract(a, b);
  if (add === undefined) throw missing('subtraction');
  return add(a, decimalNegate(b));
}

export function decimalMultiply(a: Decimal128, b: Decimal128): Decimal128 {
  if (multiply === undefined) throw missing('multiplication');
  return multiply(a, b);
}

export function decimalDivide(a: Decimal128, b: Decimal128): Decimal128 {
  if (divide === undefined) throw missing('division');
  return divide(a, b);
}

export function decimalMod(a: Decimal128, b: Decimal128): Decimal128 {
  if (modulo === undefined) throw missing('modulo');
  return modulo(a, b);
}

export function decimalPow(a: Decimal128, b: Decimal128): Decimal128 {
  if (power === undefined) throw missing('power');
  return power(a, b);
}

export function decimalSqrt(a: Decimal128): Decimal128 {
  if (squareRoot === undefined) throw missing('square root');
  return squareRoot(a);
}

export function decimalExp(a: Decimal128): Decimal128 {
  if (exponential === undefined) throw missing('exponential');
  return exponential(a);
}

export function decimalLn(a: Decimal128): Decimal128 {
  if (naturalLog === undefined) throw missing('logarithm');
  return naturalLog(a);
}

export function decimalLog10(a: Decimal128): Decimal128 {
  if (log10 !== undefined) return log10(a);
  return decimalDivide(decimalLn(a), decimalLn(Decimal128.fromString('10')));
}

/** Flips the sign bit: exact for every value, NaN and infinities included. */
export function decimalNegate(value: Decimal128): Decimal128 {
  const bytes = new Uint8Array(value.bytes);
  bytes[15] = (bytes[15] ?? 0) ^ 0x80;
  return new Decimal128(bytes);
}

/** Clears the sign bit. */
export function decimalAbs(value: Decimal128): Decimal128 {
  const bytes = new Uint8Array(value.bytes);
  bytes[15] = (bytes[15] ?? 0) & 0x7f;
  return new Decimal128(bytes);
}
