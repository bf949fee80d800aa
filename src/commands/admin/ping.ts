/** ping: the cheapest round trip; our benchmark baseline. */
import type { CommandSpec } from '../context.js';

export const pingCommand: CommandSpec = {
  name: 'ping',
  help: 'Answers ok: 1.',
  handler: () => ({ ok: 1 }),
};
