/**
 * Every command Shoal answers, sorted by name (FerretDB's commands.go): one place to see
 * what exists. Aliases resolve to the same spec.
 */
import type { CommandSpec } from './context.js';
import { buildInfoCommand } from './admin/build-info.js';
import {
  connectionStatusCommand,
  getCmdLineOptsCommand,
  getLogCommand,
  hostInfoCommand,
  whatsmyuriCommand,
} from './admin/diagnostics.js';
import { helloCommand, isMasterCommand } from './admin/hello.js';
import { currentOpCommand, killOpCommand } from './admin/operations.js';
import { getParameterCommand, setParameterCommand } from './admin/parameters.js';
import { pingCommand } from './admin/ping.js';
import { serverStatusCommand } from './admin/server-status.js';
import {
  endSessionsCommand,
  killAllSessionsByPatternCommand,
  killAllSessionsCommand,
  killSessionsCommand,
  refreshSessionsCommand,
  startSessionCommand,
} from './admin/sessions.js';
import { shutdownCommand } from './admin/shutdown.js';
import { insertCommand } from './crud/insert.js';
import { createCommand } from './ddl/create.js';
import { dropCommand, dropDatabaseCommand } from './ddl/drop.js';
import { renameCollectionCommand } from './ddl/rename-collection.js';
import { collStatsCommand, dbStatsCommand } from './ddl/stats.js';

/** listCommands lives with the registry it lists, so no module imports the registry back. */
const listCommandsCommand: CommandSpec = {
  name: 'listCommands',
  help: 'Lists the commands this server answers.',
  handler: () => {
    const entries = commands.map((spec) => [
      spec.name,
      { help: spec.help, adminOnly: spec.adminOnly === true, requiresAuth: false, secondaryOk: true },
    ]);
    return { commands: Object.fromEntries(entries), ok: 1 };
  },
};

export const commands: readonly CommandSpec[] = [
  buildInfoCommand,
  collStatsCommand,
  connectionStatusCommand,
  createCommand,
  currentOpCommand,
  dbStatsCommand,
  dropCommand,
  dropDatabaseCommand,
  endSessionsCommand,
  getCmdLineOptsCommand,
  getLogCommand,
  getParameterCommand,
  helloCommand,
  hostInfoCommand,
  insertCommand,
  isMasterCommand,
  killAllSessionsByPatternCommand,
  killAllSessionsCommand,
  killOpCommand,
  killSessionsCommand,
  listCommandsCommand,
  pingCommand,
  refreshSessionsCommand,
  renameCollectionCommand,
  serverStatusCommand,
  setParameterCommand,
  shutdownCommand,
  startSessionCommand,
  whatsmyuriCommand,
];

const byName = new Map<string, CommandSpec>();
for (const spec of commands) {
  for (const name of [spec.name, ...(spec.aliases ?? [])]) {
    if (byName.has(name)) throw new Error(`command registered twice: ${name}`);
    byName.set(name, spec);
  }
}

export function findCommand(name: string): CommandSpec | undefined {
  return byName.get(name);
}
