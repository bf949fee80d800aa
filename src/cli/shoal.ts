/**
 * shoal: the friendly front door. `shoal start` runs a server with its data in ./data on
 * port 27017 and prints the connection string.
 */
import { ArgsError, parseMongodArgs } from './parse-mongod-args.js';
import { serverOptionsFrom } from './server-options-from-args.js';
import { runServer } from './run-server.js';
import { shoalVersion } from '../server/version.js';

const usage = `Usage: shoal <command> [options]

Commands:
  start [mongod options]   start a server (data in ./data, port 27017) and print its connection string
  version                  print the version

Options for start are mongod's: --port, --dbpath, --bind_ip, --storageEngine inMemory, ...
`;

async function start(argv: string[]): Promise<void> {
  let options;
  try {
    options = serverOptionsFrom(parseMongodArgs(argv), ['shoal', 'start', ...argv], {
      port: 27017,
      dbPath: './data',
    });
  } catch (error) {
    if (!(error instanceof ArgsError)) throw error;
    process.stderr.write(`shoal: ${error.message}\n`);
    process.exit(2);
  }
  const quietOptions = { ...options, quiet: true };
  await runServer(quietOptions, (port) => {
    const host = options.bindIp[0] === '0.0.0.0' ? '127.0.0.1' : options.bindIp[0];
    process.stdout.write(`Shoal ${shoalVersion} is running (data: ${options.dbPath}).\n\n`);
    process.stdout.write(`  Connection string: mongodb://${host}:${port}/\n`);
    process.stdout.write(
      `  mongosh:           npx mongosh "mongodb://${host}:${port}/"\n\nPress Ctrl+C to stop.\n`,
    );
  });
}

const [command, ...rest] = process.argv.slice(2);
switch (command) {
  case 'start':
    await start(rest);
    break;
  case 'version':
  case '--version':
    process.stdout.write(`shoal ${shoalVersion}\n`);
    break;
  default:
    process.stdout.write(usage);
    if (command !== undefined && command !== 'help' && command !== '--help') process.exit(2);
}
