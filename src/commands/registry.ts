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
import { profileCommand } from './admin/profile.js';
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
import { aggregateCommand } from './crud/aggregate.js';
import { countCommand } from './crud/count.js';
import { deleteCommand } from './crud/delete.js';
import { distinctCommand } from './crud/distinct.js';
import { findAndModifyCommand } from './crud/find-and-modify.js';
import { findCommand } from './crud/find.js';
import { getMoreCommand, killCursorsCommand } from './crud/get-more.js';
import { insertCommand } from './crud/insert.js';
import { updateCommand } from './crud/update.js';
import { collModCommand } from './ddl/coll-mod.js';
import { createIndexesCommand, dropIndexesCommand, listIndexesCommand } from './ddl/indexes.js';
import { explainCommand } from './explain/explain.js';
import { installCommandLookup } from './registry-lookup.js';
import { listCollectionsCommand, listDatabasesCommand } from './ddl/list.js';
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
      {
        help: spec.help,
        adminOnly: spec.adminOnly === true,
        requiresAuth: false,
        secondaryOk: true,
      },
    ]);
    return { commands: Object.fromEntries(entries), ok: 1 };
  },
};

export const commands: readonly CommandSpec[] = [
  aggregateCommand,
  buildInfoCommand,
  collModCommand,
  collStatsCommand,
  connectionStatusCommand,
  countCommand,
  createCommand,
  createIndexesCommand,
  currentOpCommand,
  dbStatsCommand,
  deleteCommand,
  distinctCommand,
  dropCommand,
  dropDatabaseCommand,
  dropIndexesCommand,
  endSessionsCommand,
  explainCommand,
  findAndModifyCommand,
  findCommand,
  getCmdLineOptsCommand,
  getLogCommand,
  getMoreCommand,
  getParameterCommand,
  helloCommand,
  hostInfoCommand,
  insertCommand,
  isMasterCommand,
  killAllSessionsByPatternCommand,
  killAllSessionsCommand,
  killCursorsCommand,
  killOpCommand,
  killSessionsCommand,
  listCollectionsCommand,
  listCommandsCommand,
  listDatabasesCommand,
  listIndexesCommand,
  pingCommand,
  profileCommand,
  refreshSessionsCommand,
  renameCollectionCommand,
  serverStatusCommand,
  setParameterCommand,
  shutdownCommand,
  startSessionCommand,
  updateCommand,
  whatsmyuriCommand,
];

const byName = new Map<string, CommandSpec>();
for (const spec of commands) {
  for (const name of [spec.name, ...(spec.aliases ?? [])]) {
    if (byName.has(name)) throw new Error(`command registered twice: ${name}`);
    byName.set(name, spec);
  }
}

export function lookupCommand(name: string): CommandSpec | undefined {
  return byName.get(name);
}

installCommandLookup(lookupCommand);
