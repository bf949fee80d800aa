/**
 * $bucket (DocumentSourceBucket): desugared, as in the server, into a $group whose _id is a
 * $switch over the boundaries ([b0, b1) -> b0, ...) and a $sort on _id. Boundaries must be
 * constants of one canonical type in ascending order; a value outside every bucket without
 * a default fails at run time with $switch's error.
 */
import { Int32 } from 'bson';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { canonicalTypeRank, isDocument } from '../../bson/types.js';
import { compareValues } from '../../bson/compare.js';
import { MongoError } from '../../errors/mongo-error.js';
import { typeNameOf } from '../../query/describe.js';
import { constantOf } from '../expressions/constants.js';
import { formatValue } from '../expressions/values.js';
import type { ParseContext, StageDefinition } from '../pipeline-context.js';
import { parseGroup } from './group.js';
import { parseSortStage } from './sort.js';

/** The value of an expression that folds to a constant, or undefined. */
function constantValue(
  expression: BsonValue,
  context: ParseContext,
): { value: BsonValue } | undefined {
  const constant = constantOf(context.compiler.compile(expression));
  return constant === undefined ? undefined : { value: constant.value ?? null };
}

function parseBoundaries(value: BsonValue, context: ParseContext): BsonValue[] {
  if (!Array.isArray(value)) {
    throw new MongoError(
      40200,
      `The $bucket 'boundaries' field must be an array, but found type: ${typeNameOf(value)}.`,
    );
  }
  const boundaries = value.map((element) => {
    const constant = constantValue(element, context);
    if (constant === undefined) {
      throw new MongoError(
        40191,
        `The $bucket 'boundaries' field must be an array of constant values, but found value: ${formatValue(element)}.`,
      );
    }
    return constant.value;
  });
  if (boundaries.length < 2) {
    throw new MongoError(
      40192,
      `The $bucket 'boundaries' field must have at least 2 values, but found ${boundaries.length} value(s).`,
    );
  }
  for (let i = 1; i < boundaries.length; i++) {
    const lower = boundaries[i - 1];
    const upper = boundaries[i];
    if (canonicalTypeRank(lower) !== canonicalTypeRank(upper)) {
      throw new MongoError(
        40193,
        `All values in the the 'boundaries' option to $bucket must have the same type. Found conflicting types ${typeNameOf(lower)} and ${typeNameOf(upper)}.`,
      );
    }
    if (compareValues(lower, upper) >= 0) {
      throw new MongoError(
        40194,
        `The 'boundaries' option to $bucket must be sorted in ascending order, but elements ${i - 1} and ${i} are not in ascending order (${formatValue(lower)} is not less than ${formatValue(upper)}).`,
      );
    }
  }
  return boundaries;
}

interface BucketSpec {
  groupBy: BsonValue;
  boundaries: BsonValue[];
  defaultValue: { value: BsonValue } | undefined;
  output: BsonDocument | undefined;
}

function parseSpec(spec: BsonDocument, context: ParseContext): BucketSpec {
  let groupBy: BsonValue | undefined;
  let boundaries: BsonValue[] = [];
  let defaultValue: { value: BsonValue } | undefined;
  let output: BsonDocument | undefined;
  for (const [name, value] of Object.entries(spec)) {
    if (name === 'groupBy') {
      const isExpression = isDocument(value) && (Object.keys(value)[0] ?? '').startsWith('$');
      const isPath = typeof value === 'string' && value.startsWith('$');
      if (!isExpression && !isPath) {
        throw new MongoError(
          40202,
          `The $bucket 'groupBy' field must be defined as a $-prefixed path or an expression, but found: ${formatValue(value)}.`,
        );
      }
      groupBy = value;
    } else if (name === 'boundaries') {
      boundaries = parseBoundaries(value, context);
    } else if (name === 'default') {
      defaultValue = constantValue(value, context);
      if (defaultValue === undefined) {
        throw new MongoError(
          40195,
          `The $bucket 'default' field must be a constant expression, but found: ${formatValue(value)}.`,
        );
      }
    } else if (name === 'output') {
      if (!isDocument(value)) {
        throw new MongoError(
          40196,
          `The $bucket 'output' field must be an object, but found type: ${typeNameOf(value)}.`,
        );
      }
      output = value;
    } else {
      throw new MongoError(40197, `Unrecognized option to $bucket: ${name}.`);
    }
  }
  if (groupBy === undefined || boundaries.length === 0) {
    throw new MongoError(40198, "$bucket requires 'groupBy' and 'boundaries' to be specified.");
  }
  return { groupBy, boundaries, defaultValue, output };
}

export function parseBucket(spec: BsonValue, context: ParseContext): StageDefinition[] {
  if (!isDocument(spec)) {
    throw new MongoError(
      40201,
      `Argument to $bucket stage must be an object, but found type: ${typeNameOf(spec)}.`,
    );
  }
  const { groupBy, boundaries, defaultValue, output } = parseSpec(spec, context);
  const lowest = boundaries[0];
  const highest = boundaries[boundaries.length - 1];
  if (
    defaultValue !== undefined &&
    canonicalTypeRank(defaultValue.value) === canonicalTypeRank(lowest)
  ) {
    const valid =
      compareValues(defaultValue.value, lowest) < 0 ||
      compareValues(defaultValue.value, highest) >= 0;
    if (!valid) {
      throw new MongoError(
        40199,
        "The $bucket 'default' field must be less than the lowest boundary or greater than or equal to the highest boundary.",
      );
    }
  }
  const branches = boundaries.slice(0, -1).map((lower, i) => ({
    case: {
      $and: [
        { $gte: [groupBy, { $literal: lower }] },
        { $lt: [groupBy, { $literal: boundaries[i + 1] }] },
      ],
    },
    then: { $literal: lower },
  }));
  if (output !== undefined && Object.hasOwn(output, '_id')) {
    throw new MongoError(15948, "a group's _id may only be specified once");
  }
  const switchSpec: BsonDocument = { branches };
  if (defaultValue !== undefined) switchSpec.default = { $literal: defaultValue.value };
  const group: BsonDocument = {
    _id: { $switch: switchSpec },
    ...(output ?? { count: { $sum: new Int32(1) } }),
  };
  return [parseGroup(group, context), parseSortStage({ _id: new Int32(1) }, context)];
}
