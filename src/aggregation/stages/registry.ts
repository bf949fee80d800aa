/**
 * Every stage name the pipeline parser knows, in one sorted table (as the server's
 * REGISTER_DOCUMENT_SOURCE calls are spread over its files, this is the one place to look).
 * Stages MongoDB has that Shoal does not run answer NotImplemented, not "unrecognized".
 */
import type { BsonValue } from '../../bson/types.js';
import { MongoError } from '../../errors/mongo-error.js';
import type { StageParser } from '../pipeline-context.js';
import { parseAddFieldsStage } from './add-fields.js';
import { parseBucketAuto } from './bucket-auto.js';
import { parseBucket } from './bucket.js';
import { parseCount, parseSortByCount } from './count.js';
import { parseDensify } from './densify.js';
import { parseDocuments } from './documents.js';
import { parseFacet } from './facet.js';
import { parseFill } from './fill.js';
import { parseGraphLookup } from './graph-lookup.js';
import { parseGroup } from './group.js';
import { parseLimit, parseSkip } from './limit-skip.js';
import { parseLookup } from './lookup.js';
import { parseMatch } from './match.js';
import { parseMerge } from './merge-spec.js';
import { parseOut } from './out.js';
import { parseProject, parseUnset } from './project.js';
import { parseRedact } from './redact.js';
import { parseReplaceRoot } from './replace-root.js';
import { parseSample } from './sample.js';
import { parseSortStage } from './sort.js';
import { parseCollStats, parseIndexStats, parseListLocalSessions } from './stats-sources.js';
import { parseUnionWith } from './union-with.js';
import { parseUnwind } from './unwind.js';
import { parseSetWindowFields } from './window/set-window-fields.js';

function notImplemented(reason: string): StageParser {
  return (_spec: BsonValue, _context, name) => {
    throw new MongoError('NotImplemented', `${name} is not supported by Shoal: ${reason}`);
  };
}

const parsers = new Map<string, StageParser>([
  ['$addFields', parseAddFieldsStage],
  ['$bucket', parseBucket],
  ['$bucketAuto', parseBucketAuto],
  [
    '$changeStream',
    () => {
      throw new MongoError(40573, 'The $changeStream stage is only supported on replica sets');
    },
  ],
  ['$collStats', parseCollStats],
  ['$count', parseCount],
  ['$densify', parseDensify],
  ['$currentOp', notImplemented('no operation listing through aggregation')],
  ['$documents', parseDocuments],
  ['$facet', parseFacet],
  ['$fill', parseFill],
  ['$geoNear', notImplemented('no geospatial indexes')],
  ['$graphLookup', parseGraphLookup],
  ['$group', parseGroup],
  ['$indexStats', parseIndexStats],
  ['$limit', parseLimit],
  ['$listLocalSessions', parseListLocalSessions],
  ['$listSearchIndexes', notImplemented('no Atlas Search')],
  ['$listSessions', notImplemented('no sessions collection')],
  ['$lookup', parseLookup],
  ['$match', parseMatch],
  ['$merge', parseMerge],
  ['$out', parseOut],
  ['$planCacheStats', notImplemented('no plan cache')],
  ['$project', parseProject],
  ['$redact', parseRedact],
  ['$replaceRoot', parseReplaceRoot],
  ['$replaceWith', parseReplaceRoot],
  ['$sample', parseSample],
  ['$search', notImplemented('no Atlas Search')],
  ['$searchMeta', notImplemented('no Atlas Search')],
  ['$set', parseAddFieldsStage],
  ['$setWindowFields', parseSetWindowFields],
  ['$skip', parseSkip],
  ['$sort', parseSortStage],
  ['$sortByCount', parseSortByCount],
  ['$unionWith', parseUnionWith],
  ['$unset', parseUnset],
  ['$unwind', parseUnwind],
  ['$vectorSearch', notImplemented('no Atlas Vector Search')],
]);

export function stageParser(name: string): StageParser | undefined {
  return parsers.get(name);
}
