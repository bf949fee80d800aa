/**
 * Late-bound access to the command registry for the few commands that dispatch to other
 * commands (explain of aggregate). The registry installs itself here at load time, so
 * those commands need not import the registry that imports them.
 */
import type { CommandSpec } from './context.js';

let lookup: (name: string) => CommandSpec | undefined = () => undefined;

export function installCommandLookup(fn: (name: string) => CommandSpec | undefined): void {
  lookup = fn;
}

export function lookupCommand(name: string): CommandSpec | undefined {
  return lookup(name);
}
