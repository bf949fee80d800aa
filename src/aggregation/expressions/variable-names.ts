/**
 * Variable-name validation (variable_validation.cpp). User-defined names start with a
 * lowercase ASCII letter or a non-ASCII character, so they can never collide with the
 * uppercase builtins; CURRENT is the one builtin a user may rebind.
 */
import { MongoError } from '../../errors/mongo-error.js';

function isLower(code: number): boolean {
  return code >= 0x61 && code <= 0x7a;
}

function isUpper(code: number): boolean {
  return code >= 0x41 && code <= 0x5a;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** Non-ASCII code units: the server tests the UTF-8 byte's high bit, which is the same set. */
function isNonAscii(code: number): boolean {
  return code >= 0x80;
}

function isValidRest(code: number): boolean {
  return isLower(code) || isUpper(code) || isDigit(code) || code === 0x5f || isNonAscii(code);
}

function validate(name: string, validFirst: (code: number) => boolean): void {
  if (name.length === 0) throw new MongoError(16866, 'empty variable names are not allowed');
  if (!validFirst(name.charCodeAt(0))) {
    throw new MongoError(
      16867,
      `'${name}' starts with an invalid character for a user variable name`,
    );
  }
  for (let i = 1; i < name.length; i++) {
    if (!isValidRest(name.charCodeAt(i))) {
      throw new MongoError(
        16868,
        `'${name}' contains an invalid character for a variable name: '${name[i] ?? ''}'`,
      );
    }
  }
}

/** Names a $let/$map/$filter may define. */
export function validateNameForUserWrite(name: string): void {
  if (name === 'CURRENT') return;
  validate(name, (code) => isLower(code) || isNonAscii(code));
}

/** Names a "$$name" reference may use (builtins are uppercase). */
export function validateNameForUserRead(name: string): void {
  validate(name, (code) => isLower(code) || isUpper(code) || isNonAscii(code));
}
