/**
 * A test that cannot say anything about Shoal is skipped with its reason, never passed:
 * unmet runOnRequirements, a command the server does not have, a fail point it lacks.
 */
import { mongodbCommands } from './mongodb-commands.js';

export class SkipTest extends Error {
  override name = 'SkipTest';
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** CommandNotFound and NotImplemented: the server lacks the feature rather than failing it. */
const commandNotFound = 59;
const unsupportedCodes = new Set([commandNotFound, 238]);

interface ServerErrorLike {
  code?: unknown;
  codeName?: unknown;
  message?: unknown;
}

export function errorCode(error: unknown): number | undefined {
  const code = (error as ServerErrorLike | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** Remembers which command a CommandNotFound/NotImplemented came back for (from command events). */
export class UnsupportedCommands {
  private last: { commandName: string; code: number } | undefined;

  record(commandName: string, failure: unknown): void {
    const code = errorCode(failure);
    if (code !== undefined && unsupportedCodes.has(code)) this.last = { commandName, code };
  }

  /** Write commands report per-statement errors in an ok:1 reply. */
  recordReply(commandName: string, reply: unknown): void {
    const writeErrors = (reply as { writeErrors?: unknown } | undefined)?.writeErrors;
    if (!Array.isArray(writeErrors)) return;
    for (const writeError of writeErrors) this.record(commandName, writeError);
  }

  /** The skip for an error that says the server lacks something, or undefined. */
  skipFor(error: unknown): SkipTest | undefined {
    const code = errorCode(error);
    if (code === undefined || !unsupportedCodes.has(code)) return undefined;
    const message = error instanceof Error ? error.message : '';
    const named = /no such (?:command|cmd): '([^']+)'/.exec(message)?.[1];
    // A name MongoDB does not know is a test's deliberately bogus command: the error is its answer.
    if (named !== undefined && code === commandNotFound && !mongodbCommands.has(named))
      return undefined;
    const commandName = named ?? (this.last?.code === code ? this.last.commandName : 'a command');
    const detail = code === 238 ? ` (NotImplemented: ${message})` : '';
    return new SkipTest(`server lacks ${commandName}${detail}`);
  }
}
