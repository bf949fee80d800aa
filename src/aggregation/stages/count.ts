/**
 * $count and $sortByCount, which the server desugars into $group with {$sum: 1} followed by
 * $project and $sort respectively (document_source_count.cpp, document_source_sort_by_count.cpp).
 */
import { Int32 } from 'bson';
import type { BsonDocument, BsonValue } from '../../bson/types.js';
import { isDocument } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import type { ParseContext, StageDefinition } from '../pipeline-context.js';
import { parseGroup } from './group.js';
import { parseProject } from './project.js';
import { parseSortStage } from './sort.js';

export function parseCount(spec: BsonValue, context: ParseContext): StageDefinition[] {
  if (typeof spec !== 'string')
    throw new MongoError(40156, 'the count field must be a non-empty string');
  if (spec.length === 0) throw new MongoError(40157, 'the count field must be a non-empty string');
  if (spec.startsWith('$'))
    throw new MongoError(40158, 'the count field cannot be a $-prefixed path');
  if (spec.includes('\0'))
    throw new MongoError(40159, 'the count field cannot contain a null byte');
  if (spec.includes('.')) throw new MongoError(40160, "the count field cannot contain '.'");
  const group: BsonDocument = { _id: null, [spec]: { $sum: new Int32(1) } };
  const project: BsonDocument = { _id: false, [spec]: true };
  return [parseGroup(group, context), parseProject(project, context, '$project')];
}

export function parseSortByCount(spec: BsonValue, context: ParseContext): StageDefinition[] {
  const message =
    'the sortByCount field must be defined as a $-prefixed path or an expression inside an object';
  if (isDocument(spec)) {
    if (!(Object.keys(spec)[0] ?? '').startsWith('$')) throw new MongoError(40147, message);
  } else if (typeof spec === 'string') {
    if (!spec.startsWith('$')) throw new MongoError(40148, message);
  } else {
    throw new MongoError(
      40149,
      'the sortByCount field must be specified as a string or as an object',
    );
  }
  const group: BsonDocument = { _id: spec, count: { $sum: new Int32(1) } };
  return [parseGroup(group, context), parseSortStage({ count: new Int32(-1) }, context)];
}
