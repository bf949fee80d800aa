/** buildInfo: the version drivers and test runners gate features on. */
import { Int32 } from 'bson';
import type { CommandSpec } from '../context.js';
import { serverVersion, serverVersionArray, shoalVersion } from '../../server/version.js';
import { bsonObjectSizeMax } from '../../wire/limits.js';

export const buildInfoCommand: CommandSpec = {
  name: 'buildInfo',
  aliases: ['buildinfo'],
  help: 'Returns the server version and build details.',
  handler: () => ({
    version: serverVersion,
    gitVersion: 'shoal',
    versionArray: serverVersionArray.map((part) => new Int32(part)),
    javascriptEngine: 'none',
    bits: new Int32(64),
    debug: false,
    maxBsonObjectSize: new Int32(bsonObjectSizeMax),
    storageEngines: ['inMemory', 'wiredTiger'],
    modules: [],
    allocator: 'system',
    sysInfo: 'deprecated',
    openssl: { running: 'disabled', compiled: 'disabled' },
    buildEnvironment: { target_os: process.platform, target_arch: process.arch },
    shoalVersion,
    ok: 1,
  }),
};
