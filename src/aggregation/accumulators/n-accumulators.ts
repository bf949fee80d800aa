/**
 * The "n" accumulators (accumulator_multi.cpp): $firstN, $lastN, $minN, $maxN, and $top,
 * $bottom, $topN, $bottomN with a sort pattern. Each group validates its own n, which may be
 * computed from the group key.
 */
import { toDouble } from '../../bson/arith.js';
import { compareValues } from '../../bson/compare.js';
import { isNumber } from '../../bson/types.js';
import type { BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { coerceToLong, formatValue, isNullish } from '../expressions/values.js';
import { accumulatorBytesMax, approximateSize } from './memory.js';
import type { Accumulator } from './types.js';

/** AccumulatorN::validateN: a positive integral number. */
export function validateN(value: BsonValue | undefined): number {
  if (!isNumber(value)) {
    throw new MongoError(
      5787902,
      `Value for 'n' must be of integral type, but found ${formatValue(value)}`,
    );
  }
  const n = coerceToLong(value);
  if (Number(n) !== toDouble(value)) {
    throw new MongoError(
      5787903,
      `Value for 'n' must be of integral type, but found ${formatValue(value)}`,
    );
  }
  if (n <= 0n) throw new MongoError(5787908, `'n' must be greater than 0, found ${n}`);
  return Number(n);
}

function memoryError(name: string): MongoError {
  return new MongoError(
    'ExceededMemoryLimit',
    `${name} used too much memory and spilling to disk cannot reduce memory consumption any further. Memory limit: ${accumulatorBytesMax} bytes`,
  );
}

/** Tracks memory like AccumulatorN::updateAndCheckMemUsage. */
class Budget {
  private bytes = 0;
  constructor(private readonly name: string) {}

  add(value: BsonValue | undefined): void {
    this.bytes += approximateSize(value);
    if (this.bytes >= accumulatorBytesMax) throw memoryError(this.name);
  }

  remove(value: BsonValue | undefined): void {
    this.bytes -= approximateSize(value);
  }
}

export class FirstLastNAccumulator implements Accumulator {
  private readonly values: BsonValue[] = [];
  private readonly budget: Budget;

  constructor(
    private readonly n: number,
    private readonly last: boolean,
  ) {
    this.budget = new Budget(last ? '$lastN' : '$firstN');
  }

  process(value: BsonValue | undefined): void {
    const element = value === undefined ? null : value;
    if (this.values.length === this.n) {
      if (!this.last) return;
      this.budget.remove(this.values.shift());
    }
    this.budget.add(element);
    this.values.push(element);
  }

  result(): BsonValue {
    return [...this.values];
  }
}

/** Index after the last element comparing <= `key` (multiset insertion point). */
function upperBound<T>(items: readonly T[], key: T, compare: (a: T, b: T) => number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compare(items[mid] as T, key) <= 0) low = mid + 1;
    else high = mid;
  }
  return low;
}

export class MinMaxNAccumulator implements Accumulator {
  /** Ascending by MongoDB order; equal values in arrival order. */
  private readonly values: BsonValue[] = [];
  private readonly budget: Budget;

  constructor(
    private readonly n: number,
    private readonly max: boolean,
  ) {
    this.budget = new Budget(max ? '$maxN' : '$minN');
  }

  process(value: BsonValue | undefined): void {
    if (isNullish(value)) return;
    if (this.values.length === this.n) {
      const index = this.max ? 0 : this.values.length - 1;
      const order = compareValues(this.values[index], value) * (this.max ? -1 : 1);
      if (order <= 0) return;
      this.budget.remove(this.values.splice(index, 1)[0]);
    }
    this.budget.add(value);
    this.values.splice(upperBound(this.values, value, compareValues), 0, value);
  }

  result(): BsonValue {
    return this.max ? [...this.values].reverse() : [...this.values];
  }
}

/** One sort field of a $top/$bottom sortBy: a direction per field. */
export interface SortField {
  path: string;
  direction: 1 | -1;
}

interface Entry {
  key: BsonValue[];
  output: BsonValue;
}

/** The key of one sort field: arrays sort by their smallest (ascending) or largest element. */
export function sortKeyPart(value: BsonValue | undefined, direction: 1 | -1): BsonValue {
  if (value === undefined) return null;
  if (!Array.isArray(value)) return value;
  // An empty array sorts before null, like the server's undefined key for it.
  if (value.length === 0) return undefined;
  let best = value[0];
  for (const element of value) {
    if (compareValues(element, best) * direction < 0) best = element;
  }
  return best;
}

export class TopBottomAccumulator implements Accumulator {
  /** Ascending by sort key; equal keys in arrival order. */
  private readonly entries: Entry[] = [];
  private readonly budget: Budget;
  private readonly compare: (a: Entry, b: Entry) => number;

  constructor(
    private readonly n: number,
    private readonly bottom: boolean,
    private readonly single: boolean,
    directions: readonly (1 | -1)[],
    name: string,
  ) {
    this.budget = new Budget(name);
    this.compare = (a, b) => {
      for (let i = 0; i < directions.length; i++) {
        const order = compareValues(a.key[i], b.key[i]);
        if (order !== 0) return order * (directions[i] as number);
      }
      return 0;
    };
  }

  /** `value` is the argument's evaluation: {output, sortFields: [one value per field]}. */
  process(value: BsonValue | undefined): void {
    const doc = value as { output?: BsonValue; sortFields?: BsonValue[] };
    const output = doc.output === undefined ? null : doc.output;
    const entry: Entry = { key: doc.sortFields ?? [], output };
    if (this.entries.length === this.n) {
      const index = this.bottom ? 0 : this.entries.length - 1;
      const existing = this.entries[index] as Entry;
      // Ties keep the value seen first.
      const order = this.bottom ? this.compare(entry, existing) : this.compare(existing, entry);
      if (order <= 0) return;
      const [removed] = this.entries.splice(index, 1);
      this.budget.remove(removed?.output);
    }
    this.budget.add(output);
    this.entries.splice(upperBound(this.entries, entry, this.compare), 0, entry);
  }

  result(): BsonValue {
    const outputs = this.entries.map((entry) => entry.output);
    if (!this.single) return outputs;
    return outputs.length === 0 ? null : outputs[0];
  }
}
