/** Which server errors turn a test into a skip, and with what reason. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UnsupportedCommands } from './skip-test.js';

function serverError(code: number, message: string): Error {
  return Object.assign(new Error(message), { code });
}

test('CommandNotFound for a MongoDB command names the command', () => {
  const skip = new UnsupportedCommands().skipFor(serverError(59, "no such command: 'aggregate'"));
  assert.equal(skip?.reason, 'server lacks aggregate');
});

test('CommandNotFound for a name MongoDB does not have is the answer, not a skip', () => {
  assert.equal(
    new UnsupportedCommands().skipFor(serverError(59, "no such command: 'unsupportedCommand'")),
    undefined,
  );
});

test('NotImplemented names the command from the recorded event, with the message', () => {
  const unsupported = new UnsupportedCommands();
  unsupported.recordReply('update', { ok: 1, writeErrors: [{ index: 0, code: 238, errmsg: 'x' }] });
  const skip = unsupported.skipFor(serverError(238, 'no pipelines'));
  assert.equal(skip?.reason, 'server lacks update (NotImplemented: no pipelines)');
});

test('other errors are not skips', () => {
  assert.equal(new UnsupportedCommands().skipFor(serverError(2, 'bad value')), undefined);
  assert.equal(new UnsupportedCommands().skipFor(new Error('no code')), undefined);
});
