/**
 * Assertions that stay on in production (TigerBeetle style). A failed assertion is a
 * programmer error: the process must not keep serving with a broken invariant, so this
 * throws an AssertionError that the connection loop does not turn into a user error.
 */
export class AssertionError extends Error {
  override name = 'AssertionError';
}

export function assert(condition: unknown, message = 'assertion failed'): asserts condition {
  if (!condition) throw new AssertionError(message);
}

/** For the default branch of a switch over a discriminated union. */
export function assertNever(value: never, message = 'unexpected value'): never {
  throw new AssertionError(`${message}: ${String(value)}`);
}
