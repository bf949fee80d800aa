/**
 * The top-level fields a pipeline reads from its input documents (MongoDB's
 * Pipeline::getDependencies), so the collection scan under it decodes only those. The walk
 * stops at the first stage that replaces the document ($group, $project inclusion,
 * $replaceRoot, ...): later stages only see its output. `undefined` means the whole
 * document, which is also the answer for anything not understood.
 */
import type { BsonDocument, BsonValue } from '../bson/types.js';
import { isDocument, isNumber } from '../bson/types.js';
import { toDouble } from '../bson/arith.js';
import { parseFilter } from '../query/filter/index.js';
import type { Fields } from '../query/dependencies.js';
import { addExpressionFields, addFilterFields } from '../query/dependencies.js';
import type { StageDefinition } from './pipeline-context.js';

type Step = 'continue' | 'complete' | 'whole';

function topLevel(path: string): string {
  const dot = path.indexOf('.');
  return dot < 0 ? path : path.slice(0, dot);
}

function isFalseLike(value: BsonValue): boolean {
  return value === false || (isNumber(value) && toDouble(value) === 0);
}

function projectStep(spec: BsonDocument, fields: Fields): Step {
  const entries = Object.entries(spec);
  if (entries.some(([path, value]) => path !== '_id' && isFalseLike(value))) return 'whole';
  if (!entries.some(([path, value]) => path === '_id' && isFalseLike(value))) fields.add('_id');
  for (const [path, value] of entries) {
    if (isFalseLike(value)) continue;
    if (value === true || isNumber(value)) fields.add(topLevel(path));
    else if (!addExpressionFields(value, fields)) return 'whole';
  }
  return 'complete';
}

function accumulatorsStep(output: BsonValue, fields: Fields): boolean {
  if (!isDocument(output)) return true;
  return Object.values(output).every((accumulator) => addExpressionFields(accumulator, fields));
}

function stageStep(name: string, spec: BsonValue, fields: Fields): Step {
  const document = isDocument(spec) ? spec : {};
  switch (name) {
    case '$match':
      return addFilterFields(parseFilter(document), fields) ? 'continue' : 'whole';
    case '$sort': {
      // Explain shows a sort as {$sort: {sortKey: {...}}}.
      const pattern = isDocument(document.sortKey) ? document.sortKey : document;
      for (const path of Object.keys(pattern)) fields.add(topLevel(path));
      return 'continue';
    }
    case '$limit':
    case '$skip':
    case '$sample':
    case '$unset':
      return 'continue';
    case '$addFields':
    case '$set':
      return addExpressionFields(document, fields) ? 'continue' : 'whole';
    case '$unwind':
      return addExpressionFields(typeof spec === 'string' ? spec : (document.path ?? null), fields)
        ? 'continue'
        : 'whole';
    case '$group': {
      const { _id, ...output } = document;
      return addExpressionFields(_id ?? null, fields) && accumulatorsStep(output, fields)
        ? 'complete'
        : 'whole';
    }
    case '$project':
      return projectStep(document, fields);
    case '$replaceRoot':
      return addExpressionFields(document.newRoot ?? null, fields) ? 'complete' : 'whole';
    case '$replaceWith':
    case '$sortByCount':
      return addExpressionFields(spec, fields) ? 'complete' : 'whole';
    case '$bucket':
    case '$bucketAuto':
      return addExpressionFields(document.groupBy ?? null, fields) &&
        accumulatorsStep(document.output ?? {}, fields)
        ? 'complete'
        : 'whole';
    case '$count':
      return 'complete';
    default:
      return 'whole';
  }
}

export function pipelineFields(stages: readonly StageDefinition[]): Fields | undefined {
  const fields: Fields = new Set();
  for (const stage of stages) {
    const explained = stage.explain();
    const [name] = Object.keys(explained);
    if (name === undefined) return undefined;
    const step = stageStep(name, explained[name], fields);
    if (step === 'whole') return undefined;
    if (step === 'complete') return fields;
  }
  return undefined;
}
