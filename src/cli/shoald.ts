/**
 * shoald: a drop-in for mongod. It takes mongod's flags and logs mongod's JSON lines, so
 * mongodb-memory-server (MONGOMS_SYSTEM_BINARY) and mongodb-runner (--binDir) can start it.
 */
import { ArgsError, parseMongodArgs } from './parse-mongod-args.js';
import { mongodDefaults, serverOptionsFrom } from './server-options-from-args.js';
import { runServer } from './run-server.js';
import { serverVersion, shoalVersion } from '../server/version.js';

const usage = `Usage: shoald [options]
  --port N              port to listen on (0 picks a free one; default 27017)
  --dbpath PATH         data directory (default /data/db)
  --bind_ip HOSTS       comma-separated addresses (default 127.0.0.1)
  --bind_ip_all         listen on all addresses
  --replSet NAME        replica set name
  --storageEngine NAME  wiredTiger (durable, default) | inMemory | ephemeralForTest
  --config FILE         mongod YAML configuration file
  --logpath FILE        log to a file instead of stdout
  --nounixsocket        accepted (Shoal never opens a unix socket)
  --version             print the version
`;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  let args;
  try {
    args = parseMongodArgs(argv);
  } catch (error) {
    if (!(error instanceof ArgsError)) throw error;
    process.stderr.write(
      `Error parsing command line: ${error.message}\ntry 'shoald --help' for more information\n`,
    );
    process.exit(2);
  }
  if (args.help) {
    process.stdout.write(usage);
    return;
  }
  if (args.version) {
    process.stdout.write(
      `db version v${serverVersion}\nBuild Info: {\n    "version": "${serverVersion}",\n    "shoalVersion": "${shoalVersion}"\n}\n`,
    );
    return;
  }
  let options;
  try {
    options = serverOptionsFrom(args, ['shoald', ...argv], mongodDefaults);
  } catch (error) {
    if (!(error instanceof ArgsError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  await runServer(options);
}

await main();
