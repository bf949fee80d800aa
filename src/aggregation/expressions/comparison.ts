/**
 * $cmp $eq $ne $gt $gte $lt $lte over MongoDB's total order (compareValues): every pair of
 * values is comparable; different types order by canonical type, so "missing" (ranked with
 * undefined) is less than null and {$eq: ["$absent", null]} is false, as in the server.
 */
import { Int32 } from 'bson';
import { compareValues } from '../../bson/compare.js';
import type { BsonValue } from '../../bson/types.js';
import { binary } from './arguments.js';
import type { CompiledExpression, OperatorContext, OperatorTable } from './types.js';

type Outcome = (order: -1 | 0 | 1) => BsonValue;

const minusOne = new Int32(-1);
const zero = new Int32(0);
const one = new Int32(1);

function comparison(
  outcome: Outcome,
): (argument: BsonValue, context: OperatorContext) => CompiledExpression {
  return (argument, context) => {
    const [left, right] = binary(argument, context);
    return (root, variables) =>
      outcome(compareValues(left(root, variables), right(root, variables)));
  };
}

export const comparisonOperators: OperatorTable = {
  $cmp: comparison((order) => (order < 0 ? minusOne : order > 0 ? one : zero)),
  $eq: comparison((order) => order === 0),
  $ne: comparison((order) => order !== 0),
  $gt: comparison((order) => order > 0),
  $gte: comparison((order) => order >= 0),
  $lt: comparison((order) => order < 0),
  $lte: comparison((order) => order <= 0),
};
