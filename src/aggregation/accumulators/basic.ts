/**
 * The simple accumulators: $min and $max (MongoDB order, nullish ignored, first of equals
 * kept), $first and $last, $push and $addToSet (missing skipped, memory bounded like the
 * server's), $mergeObjects, and $stdDevPop/$stdDevSamp (Welford's algorithm on doubles).
 */
import { Double } from 'bson';
import { toDouble } from '../../bson/arith.js';
import { compareValues } from '../../bson/compare.js';
import { isDocument, isNumber } from '../../bson/types.js';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import { setField } from '../expressions/field-path.js';
import { ValueSet } from '../expressions/value-key.js';
import { formatValue, isNullish, typeName } from '../expressions/values.js';
import { accumulatorBytesMax, approximateSize } from './memory.js';
import type { Accumulator } from './types.js';

export class MinMaxAccumulator implements Accumulator {
  private value: BsonValue | undefined;
  private seen = false;

  /** `sense` is 1 for $min, -1 for $max. */
  constructor(private readonly sense: 1 | -1) {}

  process(value: BsonValue | undefined): void {
    if (isNullish(value)) return;
    if (!this.seen || compareValues(this.value, value) * this.sense > 0) {
      this.value = value;
      this.seen = true;
    }
  }

  result(): BsonValue {
    return this.seen ? this.value : null;
  }
}

export class FirstAccumulator implements Accumulator {
  private value: BsonValue | undefined;
  private seen = false;

  process(value: BsonValue | undefined): void {
    if (this.seen) return;
    this.seen = true;
    this.value = value;
  }

  /** A missing first value reads as null, as the server documents. */
  result(): BsonValue {
    return this.value === undefined ? null : this.value;
  }
}

export class LastAccumulator implements Accumulator {
  private value: BsonValue | undefined;

  process(value: BsonValue | undefined): void {
    this.value = value;
  }

  result(): BsonValue {
    return this.value === undefined ? null : this.value;
  }
}

export class PushAccumulator implements Accumulator {
  private readonly values: BsonValue[] = [];
  private bytes = 0;

  process(value: BsonValue | undefined): void {
    if (value === undefined) return;
    this.bytes += approximateSize(value);
    if (this.bytes > accumulatorBytesMax) {
      throw new MongoError(
        'ExceededMemoryLimit',
        `$push used too much memory and cannot spill to disk. Memory limit: ${accumulatorBytesMax} bytes`,
      );
    }
    this.values.push(value);
  }

  result(): BsonValue {
    return [...this.values];
  }
}

export class AddToSetAccumulator implements Accumulator {
  private readonly values = new ValueSet();
  private bytes = 0;

  process(value: BsonValue | undefined): void {
    if (value === undefined || !this.values.add(value)) return;
    this.bytes += approximateSize(value);
    if (this.bytes > accumulatorBytesMax) {
      throw new MongoError(
        'ExceededMemoryLimit',
        `$addToSet used too much memory and cannot spill to disk. Used: ${this.bytes} bytes. Memory limit: ${accumulatorBytesMax} bytes`,
      );
    }
  }

  result(): BsonValue {
    return this.values.values();
  }
}

export class MergeObjectsAccumulator implements Accumulator {
  private readonly output: BsonDocument = {};

  process(value: BsonValue | undefined): void {
    if (isNullish(value)) return;
    if (!isDocument(value)) {
      throw new MongoError(
        40400,
        `$mergeObjects requires object inputs, but input ${formatValue(value)} is of type ${typeName(value)}`,
      );
    }
    for (const key of Object.keys(value)) {
      const field = value[key];
      if (field !== undefined) setField(this.output, key, field);
    }
  }

  result(): BsonValue {
    return { ...this.output };
  }
}

export class StdDevAccumulator implements Accumulator {
  private count = 0;
  private mean = 0;
  private m2 = 0;

  constructor(private readonly sample: boolean) {}

  process(value: BsonValue | undefined): void {
    if (!isNumber(value)) return;
    const x = toDouble(value);
    this.count += 1;
    const delta = x - this.mean;
    if (delta !== 0) {
      this.mean += delta / this.count;
      this.m2 += delta * (x - this.mean);
    }
  }

  result(): BsonValue {
    const adjusted = this.sample ? this.count - 1 : this.count;
    if (adjusted <= 0) return null;
    return new Double(Math.sqrt(this.m2 / adjusted));
  }
}
