/**
 * Accumulators used as expressions over arrays: $sum $avg $min $max $stdDevPop $stdDevSamp
 * $mergeObjects (ExpressionFromAccumulator: one array operand is iterated, otherwise each
 * operand is one input), $firstN $lastN $minN $maxN (ExpressionFromAccumulatorN) and
 * $median/$percentile.
 */
import { isDocument } from '../../bson/types.js';
import type { BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import {
  MergeObjectsAccumulator,
  MinMaxAccumulator,
  StdDevAccumulator,
} from '../accumulators/basic.js';
import {
  FirstLastNAccumulator,
  MinMaxNAccumulator,
  validateN,
} from '../accumulators/n-accumulators.js';
import { parsePercentileSpec, PercentileAccumulator } from '../accumulators/percentile.js';
import { AvgAccumulator, SumAccumulator } from '../accumulators/sum-avg.js';
import type { Accumulator } from '../accumulators/types.js';
import { variadic } from './arguments.js';
import { formatBsonElement } from './format-bson.js';
import type { CompiledExpression, OperatorContext, OperatorTable } from './types.js';

function fromAccumulator(make: () => Accumulator) {
  return (argument: BsonValue, context: OperatorContext): CompiledExpression => {
    const operands = variadic(argument, context);
    return (root, variables) => {
      const accumulator = make();
      if (operands.length === 1) {
        const value = (operands[0] as CompiledExpression)(root, variables);
        if (Array.isArray(value)) for (const element of value) accumulator.process(element);
        else accumulator.process(value);
      } else {
        for (const operand of operands) accumulator.process(operand(root, variables));
      }
      return accumulator.result();
    };
  };
}

function fromAccumulatorN(make: (n: number) => Accumulator, objectCode: number) {
  return (argument: BsonValue, context: OperatorContext): CompiledExpression => {
    const name = context.name;
    if (!isDocument(argument)) {
      throw new MongoError(
        objectCode,
        `specification must be an object; found ${formatBsonElement(name, argument)}`,
      );
    }
    let n: CompiledExpression | undefined;
    let input: CompiledExpression | undefined;
    for (const [key, value] of Object.entries(argument)) {
      if (key === 'input') input = context.compile(value);
      else if (key === 'n') n = context.compile(value);
      else throw new MongoError(5787901, `Unknown argument for 'n' operator: ${key}`);
    }
    if (n === undefined) throw new MongoError(5787906, "Missing value for 'n'");
    if (input === undefined) throw new MongoError(5787907, "Missing value for 'input'");
    const [nExpression, inputExpression] = [n, input];
    return (root, variables) => {
      const accumulator = make(validateN(nExpression(root, variables)));
      const values = inputExpression(root, variables);
      if (!Array.isArray(values)) throw new MongoError(5788200, 'Input must be an array');
      for (const value of values) accumulator.process(value);
      return accumulator.result();
    };
  };
}

function fromQuantile(median: boolean) {
  return (argument: BsonValue, context: OperatorContext): CompiledExpression => {
    const name = median ? '$median' : '$percentile';
    const spec = parsePercentileSpec(argument, name, median ? 7436201 : 7436200);
    const input = context.compile(spec.input);
    return (root, variables) => {
      const accumulator = new PercentileAccumulator(spec.percentiles, median);
      const value = input(root, variables);
      if (Array.isArray(value)) for (const element of value) accumulator.process(element);
      else accumulator.process(value);
      return accumulator.result();
    };
  };
}

export const accumulatorExpressionOperators: OperatorTable = {
  $sum: fromAccumulator(() => new SumAccumulator()),
  $avg: fromAccumulator(() => new AvgAccumulator()),
  $min: fromAccumulator(() => new MinMaxAccumulator(1)),
  $max: fromAccumulator(() => new MinMaxAccumulator(-1)),
  $stdDevPop: fromAccumulator(() => new StdDevAccumulator(false)),
  $stdDevSamp: fromAccumulator(() => new StdDevAccumulator(true)),
  $mergeObjects: fromAccumulator(() => new MergeObjectsAccumulator()),
  $firstN: fromAccumulatorN((n) => new FirstLastNAccumulator(n, false), 5787801),
  $lastN: fromAccumulatorN((n) => new FirstLastNAccumulator(n, true), 5787801),
  $minN: fromAccumulatorN((n) => new MinMaxNAccumulator(n, false), 5787900),
  $maxN: fromAccumulatorN((n) => new MinMaxNAccumulator(n, true), 5787900),
  $median: fromQuantile(true),
  $percentile: fromQuantile(false),
};
