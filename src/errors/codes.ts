/**
 * MongoDB's error codes and codeNames (src/mongo/base/error_codes.yml), the subset
 * Shoal returns. One table, so a code and its name can never disagree.
 */
export const errorCodes = {
  InternalError: 1,
  BadValue: 2,
  NoSuchKey: 4,
  GraphContainsCycle: 5,
  HostUnreachable: 6,
  HostNotFound: 7,
  UnknownError: 8,
  FailedToParse: 9,
  CannotMutateObject: 10,
  UserNotFound: 11,
  UnsupportedFormat: 12,
  Unauthorized: 13,
  TypeMismatch: 14,
  Overflow: 15,
  InvalidLength: 16,
  ProtocolError: 17,
  AuthenticationFailed: 18,
  IllegalOperation: 20,
  EmptyArrayOperation: 21,
  InvalidBSON: 22,
  LockTimeout: 24,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  PathNotViable: 28,
  NonExistentPath: 29,
  InvalidPath: 30,
  RoleNotFound: 31,
  CannotBackfillArray: 34,
  ConflictingUpdateOperators: 40,
  CursorNotFound: 43,
  NamespaceExists: 48,
  MaxTimeMSExpired: 50,
  DollarPrefixedFieldName: 52,
  InvalidIdField: 53,
  NotSingleValueField: 54,
  InvalidDBRef: 55,
  EmptyFieldName: 56,
  DottedFieldName: 57,
  CommandNotFound: 59,
  ImmutableField: 66,
  CannotCreateIndex: 67,
  IndexAlreadyExists: 68,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  NetworkTimeout: 89,
  ShutdownInProgress: 91,
  WriteConcernFailed: 64,
  MultipleErrorsOccurred: 65,
  OperationFailed: 96,
  NotImplemented: 238,
  InvalidUUID: 207,
  CannotIndexParallelArrays: 171,
  AmbiguousIndexKeyPattern: 181,
  NoSuchTransaction: 251,
  TransactionTooOld: 225,
  IncompleteTransactionHistory: 217,
  InvalidIndexSpecificationOption: 197,
  InvalidPipelineOperator: 168,
  ConversionFailure: 241,
  QueryExceededMemoryLimitNoDiskUseAllowed: 292,
  ExceededMemoryLimit: 146,
  Interrupted: 11601,
  InterruptedAtShutdown: 11600,
  InterruptedDueToReplStateChange: 11602,
  NotWritablePrimary: 10107,
  NotPrimaryNoSecondaryOk: 13435,
  NotPrimaryOrSecondary: 13436,
  PrimarySteppedDown: 189,
  DuplicateKey: 11000,
  MergeStageNoMatchingDocument: 13113,
  DocumentValidationFailure: 121,
  ClientMetadataCannotBeMutated: 186,
  KeyTooLong: 17280,
  BSONObjectTooLarge: 10334,
  IllegalOpMsgFlag: 223,
  QueryFeatureNotAllowed: 224,
  TooManyDocumentSequences: 233,
  ChecksumMismatch: 288,
  NoQueryExecutionPlans: 291,
  WriteConflict: 112,
  CommandFailed: 125,
  InvalidReplicaSetConfig: 93,
  NotYetInitialized: 94,
  NoReplicationEnabled: 76,
  NotAReplicaSet: 123,
  UnknownReplWriteConcern: 79,
  UnsatisfiableWriteConcern: 100,
  WriteConcernTimeout: 64,
  OperationNotSupportedInTransaction: 263,
  CollectionUUIDMismatch: 361,
  CannotConvertIndexToUnique: 359,
  APIStrictError: 323,
  InvalidSyncSource: 119,
  UnrecognizedCommandField: 40415,
  TooManyFilesOpen: 264,
  ClientDisconnect: 279,
  QueryPlanKilled: 175,
  OptionNotSupportedOnView: 167,
  CommandNotSupportedOnView: 166,
  ConflictingOperationInProgress: 117,
  NotExactValueField: 111,
  IndexBuildAborted: 276,
  BackgroundOperationInProgressForNamespace: 12587,
} as const satisfies Record<string, number>;

export type ErrorCodeName = keyof typeof errorCodes;

/**
 * Codes that appear under more than one name in the table above resolve to the name
 * MongoDB itself reports for them.
 */
const preferredNames: Readonly<Record<number, ErrorCodeName>> = {
  18: 'AuthenticationFailed',
  64: 'WriteConcernFailed',
};

const namesByCode = new Map<number, ErrorCodeName>();
for (const [name, code] of Object.entries(errorCodes) as [ErrorCodeName, number][]) {
  if (!namesByCode.has(code)) namesByCode.set(code, name);
}
for (const [code, name] of Object.entries(preferredNames)) namesByCode.set(Number(code), name);

/** The codeName for a code; numeric "Location" codes are named like MongoDB names them. */
export function codeNameOf(code: number): string {
  return namesByCode.get(code) ?? `Location${code}`;
}
