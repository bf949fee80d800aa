/**
 * Window functions evaluated over one sorted partition at a time; each returns one value
 * per document (undefined leaves the output field out). Accumulators run over each
 * document's window: once for a whole-partition window, incrementally for windows that
 * start at the partition's beginning, and afresh for sliding windows.
 */
import { Long } from 'bson';
import { compareValues } from '../../../bson/compare.js';
import type { BsonValue } from '../../../bson/types.js';
import { isNumber } from '../../../bson/types.js';
import { MongoError } from '../../../errors/mongo-error.js';
import type { BsonDocument } from '../../../bson/types.js';
import type { SortKey } from '../../../query/sort.js';
import type { Accumulator } from '../../accumulators/accumulator.js';
import { intOrLong, typeName } from '../../expressions/values.js';
import type { Value } from '../../expressions/values.js';
import type { BoundExpression } from '../../pipeline-compiler.js';
import { arithmetic } from './window-arith.js';
import { checkRangeValues, windowEndpoints } from './window-bounds.js';
import type { WindowBounds } from './window-bounds.js';

export interface Partition {
  readonly docs: readonly BsonDocument[];
  /** The single sortBy field's value per document (range windows, $derivative, $linearFill). */
  readonly sortValues: readonly Value[] | undefined;
  /** The sort key per document (rank functions). */
  readonly sortKeys: readonly SortKey[] | undefined;
  readonly compareKeys: ((a: SortKey, b: SortKey) => number) | undefined;
}

export interface WindowFunction {
  evaluate(partition: Partition): Value[];
}

/** The argument an accumulating function is fed for the document at `index`. */
export type ArgumentOf = (partition: Partition, index: number) => Value;

/** An input expression evaluated against each document. */
export function inputArgument(input: BoundExpression): ArgumentOf {
  return (partition, index) => input(partition.docs[index] as BsonDocument);
}

function endpointsFor(
  bounds: WindowBounds,
  partition: Partition,
  index: number,
): [number, number] | undefined {
  return windowEndpoints(bounds, index, partition.docs.length, partition.sortValues);
}

/** Any accumulator over each document's window. */
export class AccumulatingFunction implements WindowFunction {
  constructor(
    private readonly bounds: WindowBounds,
    private readonly argument: ArgumentOf,
    private readonly create: () => Accumulator,
  ) {}

  evaluate(partition: Partition): Value[] {
    const size = partition.docs.length;
    if (this.bounds.type === 'range') checkRangeValues(this.bounds, partition.sortValues ?? []);
    const args: Value[] = [];
    for (let i = 0; i < size; i++) args.push(this.argument(partition, i));
    const empty = this.create().result();
    const out: Value[] = new Array<Value>(size);
    if (this.bounds.lower.kind === 'unbounded' && this.bounds.upper.kind === 'unbounded') {
      const state = this.create();
      for (const arg of args) state.process(arg);
      out.fill(size === 0 ? empty : state.result());
      return out;
    }
    if (this.bounds.lower.kind === 'unbounded') return this.prefixes(partition, args, empty);
    for (let i = 0; i < size; i++) {
      const window = endpointsFor(this.bounds, partition, i);
      if (window === undefined) {
        out[i] = empty;
        continue;
      }
      const state = this.create();
      for (let j = window[0]; j <= window[1]; j++) state.process(args[j]);
      out[i] = state.result();
    }
    return out;
  }

  /** Windows that all start at the partition's first document only ever grow. */
  private prefixes(partition: Partition, args: readonly Value[], empty: Value): Value[] {
    const state = this.create();
    const out: Value[] = [];
    let fed = 0;
    for (let i = 0; i < args.length; i++) {
      const window = endpointsFor(this.bounds, partition, i);
      if (window === undefined) {
        out.push(fed === 0 ? empty : state.result());
        continue;
      }
      while (fed <= window[1]) state.process(args[fed++]);
      out.push(state.result());
    }
    return out;
  }
}

/** $first and $last: the input at the window's first or last document; null when empty. */
export class EndpointFunction implements WindowFunction {
  constructor(
    private readonly bounds: WindowBounds,
    private readonly input: BoundExpression,
    private readonly last: boolean,
  ) {}

  evaluate(partition: Partition): Value[] {
    if (this.bounds.type === 'range') checkRangeValues(this.bounds, partition.sortValues ?? []);
    return partition.docs.map((_doc, i) => {
      const window = endpointsFor(this.bounds, partition, i);
      if (window === undefined) return null;
      return this.input(partition.docs[this.last ? window[1] : window[0]] as BsonDocument);
    });
  }
}

/** $rank, $denseRank, $documentNumber over the sort keys (AccumulatorRank). */
export class RankFunction implements WindowFunction {
  constructor(private readonly kind: '$rank' | '$denseRank' | '$documentNumber') {}

  evaluate(partition: Partition): Value[] {
    const keys = partition.sortKeys as readonly SortKey[];
    const compare = partition.compareKeys as (a: SortKey, b: SortKey) => number;
    const out: Value[] = [];
    let rank = 0;
    let dense = 0;
    for (let i = 0; i < keys.length; i++) {
      const same = i > 0 && compare(keys[i - 1] as SortKey, keys[i] as SortKey) === 0;
      if (!same) {
        rank = i + 1;
        dense++;
      }
      const value = this.kind === '$documentNumber' ? i + 1 : this.kind === '$rank' ? rank : dense;
      out.push(intOrLong(BigInt(value)));
    }
    return out;
  }
}

/** $shift: the output expression at a fixed offset in the partition, or the default. */
export class ShiftFunction implements WindowFunction {
  constructor(
    private readonly output: BoundExpression,
    private readonly by: number,
    private readonly defaultValue: BsonValue,
  ) {}

  evaluate(partition: Partition): Value[] {
    return partition.docs.map((_doc, i) => {
      const target = partition.docs[i + this.by];
      return target === undefined ? this.defaultValue : this.output(target);
    });
  }
}

/** $derivative: rise over run between the window's endpoints (WindowFunctionExecDerivative). */
export class DerivativeFunction implements WindowFunction {
  constructor(
    private readonly bounds: WindowBounds,
    private readonly input: BoundExpression,
    private readonly unitMillis: number | undefined,
  ) {}

  private at(partition: Partition, left: number, right: number): Value {
    const times = partition.sortValues as readonly Value[];
    const leftTime = times[left];
    const rightTime = times[right];
    if (this.unitMillis !== undefined) {
      if (!(leftTime instanceof Date) || !(rightTime instanceof Date)) {
        throw new MongoError(
          5624900,
          "$derivative with 'unit' expects the sortBy field to be a Date",
        );
      }
    } else {
      if (leftTime instanceof Date || rightTime instanceof Date) {
        throw new MongoError(5624901, "$derivative where the sortBy is a Date requires an 'unit'");
      }
      if (!isNumber(leftTime) || !isNumber(rightTime)) {
        throw new MongoError(
          5624902,
          "$derivative (with no 'unit') expects the sortBy field to be numeric",
        );
      }
    }
    const run = arithmetic('$subtract', rightTime, leftTime);
    const rise = arithmetic(
      '$subtract',
      this.input(partition.docs[right] as BsonDocument),
      this.input(partition.docs[left] as BsonDocument),
    );
    if (rise === null || rise === undefined)
      throw new MongoError(5624903, '$derivative input must not be null or missing');
    let result: Value;
    try {
      result = arithmetic('$divide', rise, run);
    } catch (error) {
      // A one-document window has no run: that is null, not an error.
      if (error instanceof MongoError && error.codeName === 'BadValue') return null;
      throw error;
    }
    return this.unitMillis === undefined
      ? result
      : arithmetic('$multiply', result, Long.fromNumber(this.unitMillis));
  }

  evaluate(partition: Partition): Value[] {
    if (this.bounds.type === 'range') checkRangeValues(this.bounds, partition.sortValues ?? []);
    return partition.docs.map((_doc, i) => {
      const window = endpointsFor(this.bounds, partition, i);
      return window === undefined ? null : this.at(partition, window[0], window[1]);
    });
  }
}

/** $linearFill (WindowFunctionExecLinearFill): nulls between two known points interpolated. */
export class LinearFillFunction implements WindowFunction {
  constructor(private readonly input: BoundExpression) {}

  private checkTypes(values: readonly Value[], xs: readonly Value[]): void {
    let previous: Value;
    values.forEach((value, i) => {
      if (!isNumber(value) && value !== null && value !== undefined) {
        throw new MongoError(
          'TypeMismatch',
          `Value to be filled must be numeric or nullish, but found ${typeName(value)}`,
        );
      }
      const x = xs[i];
      if (!isNumber(x) && !(x instanceof Date)) {
        throw new MongoError(
          'TypeMismatch',
          `Value of the sortBy field must be numeric or a date, but found ${typeName(x)}`,
        );
      }
      if (previous !== undefined) {
        if (compareValues(x, previous) === 0) {
          throw new MongoError(6050106, 'There can be no repeated values in the sort field');
        }
        if (x instanceof Date !== previous instanceof Date) {
          throw new MongoError(
            'TypeMismatch',
            `Conflicting sort value types, previously received type ${typeName(previous)}, but found ${typeName(x)}`,
          );
        }
      }
      previous = x;
    });
  }

  evaluate(partition: Partition): Value[] {
    const values = partition.docs.map((doc) => this.input(doc));
    const xs = partition.sortValues as readonly Value[];
    this.checkTypes(values, xs);
    const out: Value[] = [];
    let left = -1;
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (value !== null && value !== undefined) {
        left = i;
        out.push(value);
        continue;
      }
      let right = i + 1;
      while (right < values.length && (values[right] === null || values[right] === undefined))
        right++;
      if (left < 0 || right >= values.length) {
        out.push(null);
        continue;
      }
      const [x1, y1, x2, y2] = [xs[left], values[left], xs[right], values[right]];
      const slope = arithmetic(
        '$divide',
        arithmetic('$subtract', y2, y1),
        arithmetic('$subtract', x2, x1),
      );
      out.push(
        arithmetic('$add', y1, arithmetic('$multiply', arithmetic('$subtract', xs[i], x1), slope)),
      );
    }
    return out;
  }
}
