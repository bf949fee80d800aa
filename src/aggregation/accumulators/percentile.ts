/**
 * $percentile and $median (MongoDB 7.0, method "approximate"). The server's approximate method
 * is a t-digest; Shoal keeps every numeric input and returns the exact discrete percentile
 * (the value at rank ceil(p * n), as the server's "discrete" method defines it), which is what
 * a t-digest converges to on small inputs. Results are doubles; with no numeric input,
 * $percentile gives an array of nulls and $median gives null.
 */
import { Double } from 'bson';
import { toDouble } from '../../bson/arith.js';
import { isDocument, isNumber } from '../../bson/types.js';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { typeName } from '../expressions/values.js';
import type { Accumulator } from './types.js';

export interface PercentileSpec {
  input: BsonValue;
  percentiles: number[];
}

function fieldError(
  name: string,
  field: string,
  message: string,
  code: number | 'TypeMismatch' | 'BadValue',
): MongoError {
  return new MongoError(code, `BSON field '${name}.${field}' ${message}`);
}

/** Parses {input, p, method} (or {input, method} for $median) like the server's IDL parser. */
export function parsePercentileSpec(
  spec: BsonValue,
  name: '$percentile' | '$median',
  objectCode: number,
): PercentileSpec {
  if (!isDocument(spec)) {
    throw new MongoError(
      objectCode,
      `specification must be an object; found ${name}: ${typeName(spec)}`,
    );
  }
  const allowed = name === '$percentile' ? ['input', 'p', 'method'] : ['input', 'method'];
  for (const key of Object.keys(spec)) {
    if (!allowed.includes(key)) throw fieldError(name, key, 'is an unknown field.', 40415);
  }
  for (const key of allowed) {
    if (!Object.hasOwn(spec, key))
      throw fieldError(name, key, 'is missing but a required field', 40414);
  }
  const method = spec.method;
  if (typeof method !== 'string') {
    throw fieldError(
      name,
      'method',
      `is the wrong type '${typeName(method)}', expected type 'string'`,
      'TypeMismatch',
    );
  }
  if (method !== 'approximate') {
    throw new MongoError(
      'BadValue',
      `Enumeration value '${method}' for field '${name}.method' is not a valid value.`,
    );
  }
  return { input: spec.input, percentiles: name === '$median' ? [0.5] : parsePercentiles(spec) };
}

function parsePercentiles(spec: BsonDocument): number[] {
  const p = spec.p;
  if (!Array.isArray(p)) {
    throw fieldError(
      '$percentile',
      'p',
      `is the wrong type '${typeName(p)}', expected type 'array'`,
      'TypeMismatch',
    );
  }
  if (p.length === 0) throw new MongoError('BadValue', "'p' cannot be an empty array");
  return p.map((value) => {
    if (!isNumber(value)) {
      throw new MongoError(
        'TypeMismatch',
        `BSON field '$percentile.p' is the wrong type '${typeName(value)}', expected types '[long, int, decimal, double]'`,
      );
    }
    const percentile = toDouble(value);
    if (!(percentile >= 0 && percentile <= 1)) {
      throw new MongoError(
        'BadValue',
        `'p' must be an array of numeric values from [0.0, 1.0] range, but received incorrect value: ${percentile}`,
      );
    }
    return percentile;
  });
}

/** computeTrueRank of the discrete method: 0-based index of the p-th percentile of n values. */
function rank(n: number, p: number): number {
  if (p >= 1) return n - 1;
  if (p <= 0) return 0;
  return Math.max(0, Math.ceil(p * n) - 1);
}

export class PercentileAccumulator implements Accumulator {
  private readonly values: number[] = [];

  constructor(
    private readonly percentiles: readonly number[],
    private readonly median: boolean,
  ) {}

  process(value: BsonValue | undefined): void {
    if (isNumber(value)) this.values.push(toDouble(value));
  }

  result(): BsonValue {
    if (this.values.length === 0) return this.median ? null : this.percentiles.map(() => null);
    // NaN sorts first, as MongoDB orders numbers.
    const sorted = [...this.values].sort((a, b) =>
      Number.isNaN(a) ? (Number.isNaN(b) ? 0 : -1) : Number.isNaN(b) ? 1 : a - b,
    );
    const results = this.percentiles.map(
      (p) => new Double(sorted[rank(sorted.length, p)] as number),
    );
    return this.median ? results[0] : results;
  }
}
