/**
 * A fault of the runner or the test file (unknown operation, bad argument, missing entity),
 * never an operation's error: it must not satisfy an expectError.
 */
export class RunnerError extends Error {
  override name = 'RunnerError';
}
