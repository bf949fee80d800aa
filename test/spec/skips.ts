/**
 * Every spec file or test that does not run against Shoal, with the reason. Keys are
 * "<path under the spec directory>" for a whole file, or "<path>#<test description>".
 *
 * - `skips`: the test cannot say anything about Shoal yet (a missing feature, named).
 * - `knownFailures`: the test fails because of a Shoal bug ("BUG: ..."); it runs as a
 *   node:test todo, so the failure is reported without failing the run.
 *
 * Tests the server cannot run are also skipped at run time, with no entry here: unmet
 * runOnRequirements (version, topology) and commands the server answers with
 * CommandNotFound or NotImplemented ("server lacks <command>").
 */

const noMapReduceHelper = 'Node driver 7 has no mapReduce helper (driver behaviour, not Shoal)';
const driverOmitsFalse =
  'Node driver 7 sends bypassDocumentValidation only when true (driver behaviour, not Shoal)';

const driverReplacesNullId =
  'Node driver 7 replaces _id: null with a new ObjectId before sending (maybeAddIdToDocuments), so the server never sees a null _id (driver behaviour)';

export const skips: Readonly<Record<string, string>> = {
  'crud/unified/create-null-ids.json#inserting _id with type null via insertOne':
    driverReplacesNullId,
  'crud/unified/create-null-ids.json#inserting _id with type null via insertMany':
    driverReplacesNullId,
  'crud/unified/create-null-ids.json#inserting _id with type null via bulkWrite':
    driverReplacesNullId,
  'crud/unified/bypassDocumentValidation.json#Aggregate with $out passes bypassDocumentValidation: false':
    driverOmitsFalse,
  'crud/unified/bypassDocumentValidation.json#BulkWrite passes bypassDocumentValidation: false':
    driverOmitsFalse,
  'crud/unified/bypassDocumentValidation.json#FindOneAndReplace passes bypassDocumentValidation: false':
    driverOmitsFalse,
  'crud/unified/bypassDocumentValidation.json#FindOneAndUpdate passes bypassDocumentValidation: false':
    driverOmitsFalse,
  'crud/unified/bypassDocumentValidation.json#InsertMany passes bypassDocumentValidation: false':
    driverOmitsFalse,
  'read-write-concern/operation/default-write-concern-3.4.json#MapReduce omits default write concern':
    noMapReduceHelper,
  'retryable-reads/unified/mapReduce.json': noMapReduceHelper,
  'retryable-reads/unified/gridfs-download.json':
    'Node driver 7 finds the files document with {_id: {$eq: id}}; the test expects {_id: id} (driver behaviour)',
};

export const knownFailures: Readonly<Record<string, string>> = {};

function lookup(
  table: Readonly<Record<string, string>>,
  path: string,
  description: string,
): string | undefined {
  return table[`${path}#${description}`] ?? table[path];
}

export function plannedSkip(path: string, description: string): string | undefined {
  return lookup(skips, path, description);
}

export function knownFailure(path: string, description: string): string | undefined {
  return lookup(knownFailures, path, description);
}
