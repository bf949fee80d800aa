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

export const skips: Readonly<Record<string, string>> = {
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
  'collection-management/modifyCollection-pre_and_post_images.json':
    'needs collMod changeStreamPreAndPostImages (Shoal answers InvalidOptions "unknown option to collMod")',
};

const collationIgnored =
  'BUG: the collation option is accepted and ignored (binary comparison is used); MongoDB honours it';
const updateSortAccepted =
  "BUG: a 7.0 server must reject the unknown field 'sort' in an update statement (IDL error 40415); Shoal ignores it";

export const knownFailures: Readonly<Record<string, string>> = {
  'command-logging-and-monitoring/monitoring/find.json#A successful find with showRecordId and returnKey':
    'BUG: find accepts returnKey and ignores it (whole documents come back instead of index keys)',
  'sessions/snapshot-sessions-not-supported-server-error.json':
    'BUG: a standalone accepts readConcern level "snapshot"; MongoDB answers an error (snapshot reads need a replica set)',
  'crud/unified/bulkWrite-collation.json#BulkWrite with delete operations and collation':
    collationIgnored,
  'crud/unified/bulkWrite-collation.json#BulkWrite with update operations and collation':
    collationIgnored,
  'crud/unified/deleteMany-collation.json': collationIgnored,
  'crud/unified/deleteOne-collation.json': collationIgnored,
  'crud/unified/distinct-collation.json': collationIgnored,
  'crud/unified/find-collation.json': collationIgnored,
  'crud/unified/findOneAndDelete-collation.json': collationIgnored,
  'crud/unified/findOneAndReplace-collation.json': collationIgnored,
  'crud/unified/findOneAndUpdate-collation.json': collationIgnored,
  'crud/unified/replaceOne-collation.json': collationIgnored,
  'crud/unified/updateMany-collation.json': collationIgnored,
  'crud/unified/updateOne-collation.json': collationIgnored,
  'crud/unified/bulkWrite-replaceOne-sort.json#BulkWrite replaceOne with sort option unsupported (server-side error)':
    updateSortAccepted,
  'crud/unified/replaceOne-sort.json#replaceOne with sort option unsupported (server-side error)':
    updateSortAccepted,
  'crud/unified/updateOne-sort.json#updateOne with sort option unsupported (server-side error)':
    updateSortAccepted,
};

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
